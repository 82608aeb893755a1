using DataHub.Exchange.Requests;

namespace DataHub.Host.Api;

/// <summary>Refusals of the exchange as RFC 7807 problem details, every reason listed under <c>problems</c>.</summary>
public static class ExchangeProblems
{
    /// <summary>The problem for a refusal: 400, 403, 404 or 409 by its kind.</summary>
    /// <param name="refused">The refusal (already audited by the service).</param>
    public static IResult From(ExchangeRefusedException refused)
    {
        ArgumentNullException.ThrowIfNull(refused);
        var (status, title) = StatusOf(refused.Kind);
        return new Audited(TypedResults.Problem(string.Join("; ", refused.Problems), statusCode: status, title: title,
            extensions: new Dictionary<string, object?> { ["problems"] = refused.Problems }));
    }

    /// <summary>The HTTP status and title of a kind of refusal (the API's and the portal's).</summary>
    public static (int Status, string Title) StatusOf(ExchangeRefusal kind) => kind switch
    {
        ExchangeRefusal.Forbidden => (StatusCodes.Status403Forbidden, "Not allowed"),
        ExchangeRefusal.NotFound => (StatusCodes.Status404NotFound, "Not found"),
        ExchangeRefusal.Conflict => (StatusCodes.Status409Conflict, "Not possible now"),
        _ => (StatusCodes.Status400BadRequest, "Invalid"),
    };

    /// <summary>A refusal already in the audit log: marks the request so the refusal audit does not write it twice.</summary>
    private sealed class Audited(IResult inner) : IResult
    {
        public Task ExecuteAsync(HttpContext httpContext)
        {
            DataHub.Host.Auth.RefusalAudit.MarkAudited(httpContext);
            return inner.ExecuteAsync(httpContext);
        }
    }
}
