namespace DataAccessAudit.EntityFrameworkCore.Interception;

/// <summary>
/// Tells people apart by their keys: values by their own equality, and the <c>object[]</c> of a composite primary key
/// by its elements, so that two rows of one person count once.
/// </summary>
internal sealed class SubjectComparer : IEqualityComparer<object>
{
    public static SubjectComparer Instance { get; } = new();

    public new bool Equals(object? x, object? y)
    {
        if (x is object[] left && y is object[] right)
        {
            if (left.Length != right.Length)
            {
                return false;
            }

            for (var i = 0; i < left.Length; i++)
            {
                if (!object.Equals(left[i], right[i]))
                {
                    return false;
                }
            }

            return true;
        }

        return object.Equals(x, y);
    }

    public int GetHashCode(object obj)
    {
        if (obj is object[] values)
        {
            var hash = default(HashCode);
            foreach (var value in values)
            {
                hash.Add(value);
            }

            return hash.ToHashCode();
        }

        return obj.GetHashCode();
    }
}
