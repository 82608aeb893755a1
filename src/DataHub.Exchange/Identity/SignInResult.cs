namespace DataHub.Exchange.Identity;

/// <summary>The outcome of a portal sign-in: a session key for the user, or why there is none.</summary>
/// <param name="Key">The user's new short-lived API key (its text is shown only here), or null when refused.</param>
/// <param name="Failure">Why the sign-in was refused (<c>unknown-or-wrong-password</c>, <c>user-inactive</c>), or null.</param>
public sealed record SignInResult(CreatedApiKey? Key, string? Failure);
