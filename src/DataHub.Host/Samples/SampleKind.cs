namespace DataHub.Host.Samples;

/// <summary>The source shapes the sample generator makes, one per pipeline.</summary>
internal enum SampleKind
{
    /// <summary>市水务集团 daily meter readings (water.meter_reading_daily), CSV.</summary>
    Water,

    /// <summary>市燃气集团 monthly usage (gas.monthly_usage), CSV.</summary>
    Gas,

    /// <summary>市热力集团 daily household heat-meter readings (heat.household_heating), CSV.</summary>
    Heat,

    /// <summary>市公交集团 card and QR-code taps (transit.card_tap), CSV.</summary>
    Transit,

    /// <summary>市公安局 household registration (population.household_registration), CSV.</summary>
    Population,

    /// <summary>市市场监督管理局 enterprise registration (market.business_registration), NDJSON.</summary>
    Market,

    /// <summary>市自然资源和规划局 standard addresses (spatial.standard_address), CSV.</summary>
    Address,

    /// <summary>市民政局 marriage registrations (civil.marriage_registration), CSV.</summary>
    Marriage,

    /// <summary>市卫生健康委员会 birth and death certificates (health.vital_event), CSV.</summary>
    Vital,

    /// <summary>市人力资源和社会保障局 social insurance enrollment (hrss.insurance_enrollment), CSV.</summary>
    Insurance,

    /// <summary>国家税务总局合肥市税务局 taxpayer registrations (tax.taxpayer_registration), CSV.</summary>
    Tax,

    /// <summary>市水务集团 account holders (water.account_holder), CSV.</summary>
    WaterAccount,
}
