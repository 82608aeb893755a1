namespace DataHub.Exchange.Masking;

/// <summary>The lowest administrative level an address mask keeps.</summary>
public enum AddressCut
{
    /// <summary>Down to the township (街道, 镇, 乡); the county when no township is named.</summary>
    Township,

    /// <summary>Down to the county (区, 县, 旗, county-level 市).</summary>
    County,
}
