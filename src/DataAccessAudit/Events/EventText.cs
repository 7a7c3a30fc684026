using System.Globalization;

namespace DataAccessAudit.Events;

// The rule for every string an access event carries (ids, action, organization, roles, type, purpose, subject keys,
// approval fields, category names): text that every store and reader of the log holds unchanged. Two kinds of
// character are refused where the value is given, so that nothing is changed or refused later on the writer's thread:
// U+0000, which PostgreSQL text columns refuse (the store would refuse the batch on every retry), and an unpaired
// UTF-16 surrogate, which UTF-8 cannot encode (the JSON writer would put U+FFFD in its place, merging distinct ids in
// the tamper-evident log, and every reader refuses the escaped form).
internal static class EventText
{
    // Checks value (which the caller has already refused when null or empty, if it must not be) and returns it, for
    // init accessors. what names the value in the message ("The requester id"), paramName the parameter or property.
    public static string? Check(string? value, string paramName, string what)
    {
        if (value is not null && IndexOfUnfaithful(value) is var index and >= 0)
        {
            throw new ArgumentException(Describe(value, index, what), paramName);
        }

        return value;
    }

    // Checks every element of a list of strings (roles, subject keys), refusing null elements (and empty ones unless
    // allowEmpty) as well, and returns a copy the caller cannot change afterwards. element names one element in the
    // message ("Role"), expected what it should have been ("a role name").
    public static string[] CheckAll(IReadOnlyList<string> values, string paramName, string element, string expected, bool allowEmpty = false)
    {
        var copy = new string[values.Count];
        for (var i = 0; i < copy.Length; i++)
        {
            var value = values[i];
            if (value is null || (value.Length == 0 && !allowEmpty))
            {
                throw new ArgumentException(
                    string.Create(CultureInfo.InvariantCulture, $"{element} {i} is {(value is null ? "null" : "empty")}: expected {expected}."),
                    paramName);
            }

            Check(value, paramName, string.Create(CultureInfo.InvariantCulture, $"{element} {i}"));
            copy[i] = value;
        }

        return copy;
    }

    // The index of the first U+0000 or unpaired surrogate in text, or -1. Both searches are vectorised, and the
    // surrogate pairs of ordinary text (emoji) are only walked from the first surrogate on.
    public static int IndexOfUnfaithful(ReadOnlySpan<char> text)
    {
        var nul = text.IndexOf('\0');
        var surrogate = text.IndexOfAnyInRange('\uD800', '\uDFFF');
        if (surrogate < 0)
        {
            return nul;
        }

        var end = nul < 0 ? text.Length : nul;
        for (var i = surrogate; i < end; i++)
        {
            var c = text[i];
            if (!char.IsSurrogate(c))
            {
                continue;
            }

            if (char.IsHighSurrogate(c) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]))
            {
                i++;
                continue;
            }

            return i;
        }

        return nul;
    }

    private static string Describe(string value, int index, string what)
    {
        var c = value[index];
        var kind = c == '\0'
            ? "U+0000 (NUL)"
            : string.Create(CultureInfo.InvariantCulture, $"an unpaired surrogate U+{(int)c:X4}");
        return string.Create(
            CultureInfo.InvariantCulture,
            $"{what} holds {kind} at index {index}: expected text without U+0000 and without unpaired surrogates, which not every store and reader of the audit log can hold unchanged.");
    }
}
