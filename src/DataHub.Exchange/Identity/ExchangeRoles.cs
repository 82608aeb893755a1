namespace DataHub.Exchange.Identity;

/// <summary>The roles a user or an API key can hold in the sharing exchange (as stored and as claimed).</summary>
public static class ExchangeRoles
{
    /// <summary>Files data requests on behalf of a department.</summary>
    public const string Requester = "requester";

    /// <summary>Decides requests for the data the department provides.</summary>
    public const string Approver = "approver";

    /// <summary>The data bureau's administrator.</summary>
    public const string BureauAdmin = "bureau_admin";

    /// <summary>Queries the data a grant gives the department.</summary>
    public const string Analyst = "analyst";

    /// <summary>Every role, in a fixed order.</summary>
    public static IReadOnlyList<string> All { get; } = [Requester, Approver, BureauAdmin, Analyst];

    /// <summary>
    /// Parses a comma-separated role list (<c>requester,analyst</c>); blanks are ignored, duplicates removed.
    /// </summary>
    /// <exception cref="ArgumentException">A word is not one of <see cref="All"/>.</exception>
    public static IReadOnlyList<string> Parse(string? text)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return [];
        }

        var roles = new List<string>();
        foreach (var word in text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            if (!All.Contains(word, StringComparer.Ordinal))
            {
                throw new ArgumentException($"unknown role '{word}': roles are {string.Join(", ", All)}.");
            }

            if (!roles.Contains(word, StringComparer.Ordinal))
            {
                roles.Add(word);
            }
        }

        return roles;
    }
}
