namespace DataAccessAudit.Interchange;

// The words of an argument guard (a constructor refusing a value) shown as a problem of a file or a line: the guard's
// message without the " (Parameter 'name')" that .NET appends for a developer, which means nothing to whoever reads
// an input problem or an error of the tool.
internal static class GuardMessage
{
    public static string Of(ArgumentException exception)
    {
        var message = exception.Message;
        var suffix = exception.ParamName is { } name ? $" (Parameter '{name}')" : null;
        return suffix is not null && message.EndsWith(suffix, StringComparison.Ordinal) ? message[..^suffix.Length] : message;
    }
}
