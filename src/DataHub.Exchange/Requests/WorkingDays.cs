namespace DataHub.Exchange.Requests;

/// <summary>Working-day arithmetic: Saturday and Sunday are skipped; public holidays are not known (out of scope).</summary>
public static class WorkingDays
{
    /// <summary>The day <paramref name="days"/> working days after <paramref name="from"/> (which itself does not count).</summary>
    /// <param name="from">The start day.</param>
    /// <param name="days">Working days to add, at least 0.</param>
    public static DateOnly Add(DateOnly from, int days)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(days);
        var day = from;
        while (days > 0)
        {
            day = day.AddDays(1);
            if (day.DayOfWeek is not (DayOfWeek.Saturday or DayOfWeek.Sunday))
            {
                days--;
            }
        }

        return day;
    }
}
