using DuckDB.NET.Data;

namespace DataAccessAudit.Benchmarks.Reporting;

/// <summary>
/// The peer: what an analyst would do instead of the report generator. DuckDB loads the JSON Lines file into a table
/// and runs SQL for the same tables as the report: totals, region pairs, categories, requesters by distinct
/// protected resources, and days (UTC dates).
/// </summary>
public static class DuckDbReport
{
    public static readonly string[] Queries =
    [
        """
        SELECT count(*) AS events,
               count(*) FILTER (WHERE decision.crossBorder) AS cross_border,
               count(*) FILTER (WHERE decision.outcome = 'flagged') AS flagged,
               count(*) FILTER (WHERE decision.outcome = 'denied') AS denied,
               count(*) FILTER (WHERE decision.outcome = 'approved') AS approved,
               sum(coalesce(subjects, 1)) AS subjects
        FROM ev
        """,
        """
        SELECT coalesce(requester.region, 'ZZ') AS requester_region, resource.region AS data_region, count(*) AS events,
               bool_or(decision.crossBorder) AS cross_border, count(*) FILTER (WHERE decision.outcome = 'flagged') AS flagged
        FROM ev GROUP BY ALL ORDER BY events DESC
        """,
        """
        SELECT resource.category AS category, count(*) AS events, count(*) FILTER (WHERE decision.crossBorder) AS cross_border,
               count(*) FILTER (WHERE decision.outcome = 'flagged') AS flagged
        FROM ev GROUP BY ALL ORDER BY events DESC
        """,
        """
        SELECT requester.id AS id, mode(coalesce(requester.region, 'ZZ')) AS region, count(*) AS events,
               count(*) FILTER (WHERE decision.outcome = 'flagged') AS flagged,
               count(DISTINCT resource.id) FILTER (WHERE resource.category = 'protected') AS protected_resources,
               count(DISTINCT resource.type) FILTER (WHERE resource.category = 'protected') AS resource_types,
               sum(coalesce(subjects, 1)) AS subjects
        FROM ev GROUP BY ALL ORDER BY protected_resources DESC, id
        """,
        """
        SELECT left(time, 10) AS date, count(*) AS events, count(*) FILTER (WHERE decision.crossBorder) AS cross_border,
               count(*) FILTER (WHERE decision.outcome = 'flagged') AS flagged
        FROM ev GROUP BY ALL ORDER BY date
        """,
    ];

    /// <summary>Loads the file and runs every query, reading every row; returns the number of rows read.</summary>
    public static long Run(string path)
    {
        using var connection = new DuckDBConnection("DataSource=:memory:");
        connection.Open();
        using (var load = connection.CreateCommand())
        {
            load.CommandText = $$"""
                CREATE TABLE ev AS SELECT * FROM read_json('{{path.Replace("'", "''", StringComparison.Ordinal)}}',
                  format = 'newline_delimited',
                  columns = {'time': 'VARCHAR',
                             'requester': 'STRUCT(id VARCHAR, region VARCHAR)',
                             'resource': 'STRUCT(id VARCHAR, type VARCHAR, category VARCHAR, region VARCHAR, storedIn VARCHAR)',
                             'subjects': 'INTEGER',
                             'decision': 'STRUCT(outcome VARCHAR, crossBorder BOOLEAN, findings VARCHAR[])'})
                """;
            load.ExecuteNonQuery();
        }

        var rows = 0L;
        foreach (var query in Queries)
        {
            using var command = connection.CreateCommand();
            command.CommandText = query;
            using var reader = command.ExecuteReader();
            while (reader.Read())
            {
                rows++;
            }
        }

        return rows;
    }
}
