using System.Globalization;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace DataAccessAudit.AspNetCore.Endpoints;

/// <summary>
/// A template such as <c>user/{userId}/messages</c>: literal text and route values in braces, parsed once when the
/// endpoint is built and rendered per request with one string allocation (the id itself).
/// </summary>
internal sealed class AccessTemplate
{
    // Even indexes are literals, odd indexes route value names: literal, name, literal, name, ..., literal.
    private readonly string[] _parts;

    private AccessTemplate(string text, string[] parts)
    {
        Text = text;
        _parts = parts;
    }

    public string Text { get; }

    /// <summary>Gets the text when the template names no route value.</summary>
    public string? Constant => _parts.Length == 1 ? _parts[0] : null;

    /// <summary>Gets the route value name when the template is exactly one route value, such as <c>{region}</c>.</summary>
    public string? SingleRouteValue => _parts.Length == 3 && _parts[0].Length == 0 && _parts[2].Length == 0 ? _parts[1] : null;

    public static AccessTemplate Parse(string text, string property, string endpointName)
    {
        var parts = new List<string>();
        var literal = 0;
        var i = 0;
        while (i < text.Length)
        {
            var c = text[i];
            if (c == '}')
            {
                throw Invalid(text, property, endpointName, $"'}}' at {i} closes no route value");
            }

            if (c != '{')
            {
                i++;
                continue;
            }

            var close = text.IndexOf('}', i + 1);
            if (close < 0)
            {
                throw Invalid(text, property, endpointName, $"'{{' at {i} is never closed");
            }

            var name = text[(i + 1)..close];
            if (name.Length == 0 || name.AsSpan().IndexOfAny("{/ ") >= 0)
            {
                throw Invalid(text, property, endpointName, $"'{{{name}}}' at {i} is not a route value name");
            }

            parts.Add(text[literal..i]);
            parts.Add(name);
            i = close + 1;
            literal = i;
        }

        parts.Add(text[literal..]);
        return new AccessTemplate(text, [.. parts]);
    }

    public string Render(HttpContext context)
    {
        if (_parts.Length == 1)
        {
            return _parts[0];
        }

        var values = context.Request.RouteValues;
        if (SingleRouteValue is { } single)
        {
            return Value(values, single);
        }

        var length = 0;
        for (var i = 0; i < _parts.Length; i++)
        {
            length += (i & 1) == 0 ? _parts[i].Length : Value(values, _parts[i]).Length;
        }

        return string.Create(length, (this, values), static (span, state) =>
        {
            var (template, values) = state;
            var parts = template._parts;
            for (var i = 0; i < parts.Length; i++)
            {
                var text = (i & 1) == 0 ? parts[i] : Value(values, parts[i]);
                text.CopyTo(span);
                span = span[text.Length..];
            }
        });
    }

    public static string Value(HttpContext context, string routeValue) => Value(context.Request.RouteValues, routeValue);

    /// <summary>Gets the names of the route values the template renders, in order.</summary>
    public IEnumerable<string> RouteValueNames
    {
        get
        {
            for (var i = 1; i < _parts.Length; i += 2)
            {
                yield return _parts[i];
            }
        }
    }

    // Every name is a parameter of the endpoint's route (checked when the endpoint is built), so a value that is
    // missing belongs to an optional parameter the request left out (/items for /items/{id?}): it renders as empty
    // text rather than failing a request the route accepted.
    private static string Value(RouteValueDictionary values, string name) =>
        values.TryGetValue(name, out var value) && value is not null
            ? value as string ?? Convert.ToString(value, CultureInfo.InvariantCulture) ?? string.Empty
            : string.Empty;

    private static InvalidOperationException Invalid(string text, string property, string endpointName, string problem) =>
        new($"{endpointName}: the audited access {property} '{text}' is not a template ({problem}): expected text with route values in braces, such as user/{{userId}}/messages.");
}
