using System.Runtime.InteropServices;

namespace DataAccessAudit.Reporting.Aggregation;

// A table keyed by names of which there are few (findings, categories): a short array searched by reference first,
// which on the fast path is the common case (the same string instances every line), so no string is hashed per
// event. Past MaxLinear names it moves to a dictionary, so a log with many odd names stays linear-time.
internal sealed class NameTable<TValue>
{
    private const int MaxLinear = 16;

    private string[] _names = new string[4];
    private TValue[] _values = new TValue[4];
    private int _count;
    private Dictionary<string, int>? _index;

    public int Count => _count;

    public ref TValue GetOrAdd(string name)
    {
        if (_index is null)
        {
            for (var i = 0; i < _count; i++)
            {
                if (ReferenceEquals(_names[i], name))
                {
                    return ref _values[i];
                }
            }

            for (var i = 0; i < _count; i++)
            {
                if (string.Equals(_names[i], name, StringComparison.Ordinal))
                {
                    return ref _values[i];
                }
            }
        }
        else if (_index.TryGetValue(name, out var found))
        {
            return ref _values[found];
        }

        if (_count == _names.Length)
        {
            Array.Resize(ref _names, _count * 2);
            Array.Resize(ref _values, _count * 2);
        }

        _names[_count] = name;
        _values[_count] = default!;
        if (_index is not null || _count + 1 > MaxLinear)
        {
            _index ??= BuildIndex();
            _index[name] = _count;
        }

        return ref _values[_count++];
    }

    public string NameAt(int i) => _names[i];

    public ref TValue ValueAt(int i) => ref _values[i];

    private Dictionary<string, int> BuildIndex()
    {
        var index = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var i = 0; i < _count; i++)
        {
            index[_names[i]] = i;
        }

        return index;
    }
}
