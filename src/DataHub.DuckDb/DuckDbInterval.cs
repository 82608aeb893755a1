using System.Globalization;
using System.Runtime.InteropServices;

namespace DataHub.DuckDb;

/// <summary>A DuckDB INTERVAL: months, days and microseconds are kept apart, as DuckDB keeps them.</summary>
[StructLayout(LayoutKind.Sequential)]
public readonly record struct DuckDbInterval(int Months, int Days, long Micros)
{
    /// <summary>Converts a <see cref="TimeSpan"/> (days and microseconds, no months).</summary>
    public static DuckDbInterval FromTimeSpan(TimeSpan value)
    {
        var days = value.Days;
        var remainder = value - TimeSpan.FromDays(days);
        return new DuckDbInterval(0, days, remainder.Ticks / 10);
    }

    /// <summary>The interval as a <see cref="TimeSpan"/>; months are refused because their length varies.</summary>
    public TimeSpan ToTimeSpan() => Months != 0
        ? throw new InvalidCastException("An INTERVAL with months has no fixed length and cannot become a TimeSpan.")
        : TimeSpan.FromDays(Days) + TimeSpan.FromTicks(Micros * 10);

    /// <inheritdoc />
    public override string ToString() =>
        string.Create(CultureInfo.InvariantCulture, $"{Months} months {Days} days {Micros} microseconds");
}
