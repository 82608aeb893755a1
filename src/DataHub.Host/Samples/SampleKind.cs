namespace DataHub.Host.Samples;

/// <summary>The seven source shapes the sample generator makes, one per pipeline.</summary>
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
}
