using DataHub.Catalog.Audit;

namespace DataHub.Exchange.Requests;

/// <summary>
/// Text a caller sends that is stored as it is (purposes, legal bases, reasons, filter values) must be text PostgreSQL
/// can store: no NUL character and no unpaired UTF-16 surrogate. Anything else is the caller's to write.
/// </summary>
internal static class StoredText
{
    /// <summary>The problem of a field whose text cannot be stored, or null.</summary>
    /// <param name="field">The field, such as <c>purpose</c> or <c>filters[0].values[1]</c>.</param>
    /// <param name="text">The caller's text; null passes (absence is checked elsewhere).</param>
    public static string? Problem(string field, string? text) =>
        text is null || AuditLog.IsStorable(text) ? null : $"{field}: contains a NUL character or an unpaired surrogate, which is not text";
}
