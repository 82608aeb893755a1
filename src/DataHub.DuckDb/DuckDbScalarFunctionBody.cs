namespace DataHub.DuckDb;

/// <summary>
/// The body of a C# scalar function: called once per chunk (up to 2,048 rows) with the argument vectors, it
/// writes one result per row. NULL arguments arrive as NULL; the body decides what to return for them.
/// </summary>
public delegate void DuckDbScalarFunctionBody(DuckDbFunctionInput input, DuckDbFunctionOutput output);
