using DataHub.Exchange.Requests;

namespace DataHub.Exchange.Delivery;

/// <summary>A grant as stored: what a department may receive of a dataset, how, and until when.</summary>
/// <param name="Id">The grant.</param>
/// <param name="RequestId">The request it answers.</param>
/// <param name="Dataset">The catalogued dataset, schema.table.</param>
/// <param name="Department">The department the grant is for.</param>
/// <param name="Columns">The granted columns, in the order requested.</param>
/// <param name="Filters">The row filter, always applied.</param>
/// <param name="PlainColumns">Columns the approval shows unmasked.</param>
/// <param name="Delivery">api, export, both or verify.</param>
/// <param name="ValidFrom">First day of use.</param>
/// <param name="ValidUntil">Last day of use.</param>
/// <param name="GrantedAt">When it was granted.</param>
/// <param name="RevokedAt">When it was revoked, if it was.</param>
public sealed record GrantRecord(
    long Id,
    long RequestId,
    string Dataset,
    string Department,
    IReadOnlyList<string> Columns,
    IReadOnlyList<RowFilter> Filters,
    IReadOnlyList<string> PlainColumns,
    string Delivery,
    DateOnly ValidFrom,
    DateOnly ValidUntil,
    DateTimeOffset GrantedAt,
    DateTimeOffset? RevokedAt)
{
    /// <summary>Whether the grant allows a use: query needs api or both, export needs export or both, verification needs verify.</summary>
    /// <param name="use">The use.</param>
    public bool Allows(GrantUse use) => use switch
    {
        GrantUse.Query => Delivery is "api" or "both",
        GrantUse.Export => Delivery is "export" or "both",
        GrantUse.Verify => Delivery == "verify",
        _ => false,
    };
}
