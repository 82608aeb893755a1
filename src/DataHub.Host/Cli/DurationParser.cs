using System.Globalization;

namespace DataHub.Host.Cli;

/// <summary>Durations on the command line: <c>90s</c>, <c>30m</c>, <c>12h</c>, <c>7d</c>, <c>2w</c>, or a TimeSpan such as <c>1.12:00:00</c>.</summary>
public static class DurationParser
{
    /// <summary>Parses a duration or throws an <see cref="ArgumentException"/> saying what is accepted.</summary>
    public static TimeSpan Parse(string text, string option)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(text);
        var unit = text[^1];
        if (char.IsAsciiLetter(unit) && double.TryParse(text[..^1], NumberStyles.Float, CultureInfo.InvariantCulture, out var amount) && amount >= 0)
        {
            var value = char.ToLowerInvariant(unit) switch
            {
                's' => TimeSpan.FromSeconds(amount),
                'm' => TimeSpan.FromMinutes(amount),
                'h' => TimeSpan.FromHours(amount),
                'd' => TimeSpan.FromDays(amount),
                'w' => TimeSpan.FromDays(amount * 7),
                _ => (TimeSpan?)null,
            };
            if (value is { } v)
            {
                return v;
            }
        }

        return TimeSpan.TryParse(text, CultureInfo.InvariantCulture, out var span) && span >= TimeSpan.Zero
            ? span
            : throw new ArgumentException($"--{option} takes a duration such as 90s, 30m, 12h, 7d or 2w, not '{text}'.");
    }
}
