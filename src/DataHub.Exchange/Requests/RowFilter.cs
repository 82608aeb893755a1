namespace DataHub.Exchange.Requests;

/// <summary>
/// One condition of a request's row filter: a column, an operator and literal values. Conditions are joined by AND.
/// Values are data, never SQL: they are checked against the column's type and stored as strings.
/// </summary>
/// <param name="Field">The dataset column.</param>
/// <param name="Operator">eq, in, between, lt, le, gt, ge or like_prefix.</param>
/// <param name="Values">The operand(s): one for eq, lt, le, gt, ge and like_prefix; two for between; one or more for in.</param>
public sealed record RowFilter(string Field, string Operator, IReadOnlyList<string> Values);
