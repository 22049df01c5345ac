namespace Ouroboros.Models;

/// <summary>
/// What went wrong with one model call, as stored in the ledger's <c>outcome</c> column and counted
/// in reports. Names are the stored strings (see <see cref="ModelFaults.Name"/>).
/// </summary>
public enum ModelFaultKind
{
    /// <summary>The request timed out (after retries).</summary>
    Timeout,
    /// <summary>Too many requests (HTTP 429), still so after retries.</summary>
    RateLimited,
    /// <summary>A 5xx from the provider, still so after retries.</summary>
    ServerError,
    /// <summary>The connection failed or was reset.</summary>
    Network,
    /// <summary>The provider refused the request (4xx other than 429): bad model name, bad key, bad request.</summary>
    Rejected,
    /// <summary>The body was not the JSON the protocol promises.</summary>
    MalformedResponse,
    /// <summary>The response had no choices or no text.</summary>
    EmptyResponse,
    /// <summary>A completion came back without a fenced code block; the text is still returned.</summary>
    NoCodeBlock,
}

/// <summary>
/// A model call that failed in one of the expected ways. Providers throw it; the retry middleware
/// retries the transient kinds; the ledger records the kind; the caller decides what to do.
/// </summary>
public sealed class ModelFaultException(ModelFaultKind kind, string message, int? httpStatus = null, TimeSpan? retryAfter = null, Exception? inner = null)
    : Exception(message, inner)
{
    public ModelFaultKind Kind { get; } = kind;
    public int? HttpStatus { get; } = httpStatus;
    /// <summary>How long the provider asked us to wait (<c>Retry-After</c> / <c>retry-after-ms</c>), if it said.</summary>
    public TimeSpan? RetryAfter { get; } = retryAfter;

    /// <summary>
    /// A fault a replay raised again because the original run's call failed here (no completion was
    /// recorded to answer from), not one of a call made now. <c>ouro replay</c> counts these apart:
    /// the run could not be reproduced, which is not a mismatch.
    /// </summary>
    public bool FromOriginal { get; init; }

    /// <summary>Worth retrying: rate limits, server errors, timeouts and dropped connections.</summary>
    public bool IsTransient => Kind is ModelFaultKind.Timeout or ModelFaultKind.RateLimited or ModelFaultKind.ServerError or ModelFaultKind.Network;

    /// <summary>
    /// Says the model could not be used at all, whatever was asked: it did not answer, kept refusing
    /// for load, broke, answered with something that is not the protocol, or refused the key or the
    /// model (401, 403, 404, 410). Not so for a refusal of this one request (400, 413, 422) or an
    /// empty answer, which a caller's own request can provoke.
    /// </summary>
    public bool MeansModelUnavailable => Kind switch
    {
        ModelFaultKind.Timeout or ModelFaultKind.RateLimited or ModelFaultKind.ServerError or ModelFaultKind.Network or ModelFaultKind.MalformedResponse => true,
        ModelFaultKind.Rejected => HttpStatus is 401 or 403 or 404 or 410,
        _ => false,
    };
}

/// <summary>Stored names of <see cref="ModelFaultKind"/> and the mapping from HTTP statuses.</summary>
public static class ModelFaults
{
    /// <summary>The ledger's outcome for a call that succeeded.</summary>
    public const string Ok = "ok";

    /// <summary>The stored, snake_case name of a kind, e.g. <c>no_code_block</c>.</summary>
    public static string Name(ModelFaultKind kind) => kind switch
    {
        ModelFaultKind.Timeout => "timeout",
        ModelFaultKind.RateLimited => "rate_limited",
        ModelFaultKind.ServerError => "server_error",
        ModelFaultKind.Network => "network",
        ModelFaultKind.Rejected => "rejected",
        ModelFaultKind.MalformedResponse => "malformed_response",
        ModelFaultKind.EmptyResponse => "empty_response",
        ModelFaultKind.NoCodeBlock => "no_code_block",
        _ => kind.ToString(),
    };

    /// <summary>The kind a stored name stands for (<see cref="Name"/> backwards), or null for <c>ok</c>, <c>replayed</c> and other outcomes.</summary>
    public static ModelFaultKind? Parse(string name) =>
        Enum.GetValues<ModelFaultKind>().Where(k => Name(k) == name).Select(k => (ModelFaultKind?)k).FirstOrDefault();

    /// <summary>The kind an HTTP error status stands for.</summary>
    public static ModelFaultKind FromStatus(int status) => status switch
    {
        429 => ModelFaultKind.RateLimited,
        408 => ModelFaultKind.Timeout,
        >= 500 => ModelFaultKind.ServerError,
        _ => ModelFaultKind.Rejected,
    };

    /// <summary>
    /// The wait a provider asked for: <c>retry-after-ms</c> (OpenAI's), else <c>Retry-After</c> as
    /// seconds or an HTTP date. Null when absent or unreadable.
    /// </summary>
    public static TimeSpan? ParseRetryAfter(string? retryAfterMs, string? retryAfter, DateTimeOffset now)
    {
        if (double.TryParse(retryAfterMs, System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out var ms) && ms >= 0)
            return TimeSpan.FromMilliseconds(ms);
        if (string.IsNullOrWhiteSpace(retryAfter)) return null;
        if (double.TryParse(retryAfter, System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out var s) && s >= 0)
            return TimeSpan.FromSeconds(s);
        if (DateTimeOffset.TryParse(retryAfter, System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.AssumeUniversal, out var at))
            return at > now ? at - now : TimeSpan.Zero;
        return null;
    }
}
