namespace DataHub.Quality.Service;

/// <summary>The monthly quality bulletin (数据质量通报): what the bureau publishes to rank the departments.</summary>
/// <param name="Month">The month, <c>YYYY-MM</c>.</param>
/// <param name="Overall">Mean overall score of the datasets' latest runs in the month (null when none ran).</param>
/// <param name="Trend">The same figure for each of the last 12 months, oldest first (null where no run).</param>
/// <param name="Departments">Departments ranked, with their change since last month.</param>
/// <param name="WorstRules">The rules with the highest failure rates, with masked examples.</param>
/// <param name="MissedUpdateCycle">Datasets whose freshness rule failed.</param>
/// <param name="CarriedOver">Rules failing this month that already failed last month.</param>
public sealed record Bulletin(
    string Month,
    double? Overall,
    IReadOnlyList<(string Month, double? Overall)> Trend,
    IReadOnlyList<BulletinDepartment> Departments,
    IReadOnlyList<BulletinRule> WorstRules,
    IReadOnlyList<string> MissedUpdateCycle,
    IReadOnlyList<BulletinRule> CarriedOver)
{
    /// <summary>
    /// The breached consistency rules (一致性, 多源比对: sources disagreeing, within a dataset or across the theme
    /// databases' sources), most failing rows first, with masked examples.
    /// </summary>
    public IReadOnlyList<BulletinRule> Consistency { get; init; } = [];

    /// <summary>
    /// The links of the theme databases' records to standard addresses (一标三实: every person and every entity on a
    /// standard address): each <c>address_link</c> rule of the datasets' latest runs, passed or not — checked records,
    /// unlinked ones, masked examples.
    /// </summary>
    public IReadOnlyList<BulletinRule> AddressLinks { get; init; } = [];
}
