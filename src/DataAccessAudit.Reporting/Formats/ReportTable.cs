namespace DataAccessAudit.Reporting.Formats;

/// <summary>The tables of a report, each written as one CSV file.</summary>
public enum ReportTable
{
    /// <summary>The totals, one row (<c>totals.csv</c>).</summary>
    Totals,

    /// <summary>Events per finding (<c>findings.csv</c>).</summary>
    Findings,

    /// <summary>The requester-region x data-region pairs (<c>region-pairs.csv</c>).</summary>
    RegionPairs,

    /// <summary>Events per data category (<c>categories.csv</c>).</summary>
    Categories,

    /// <summary>Requesters ranked by distinct protected resources (<c>requesters.csv</c>).</summary>
    Requesters,

    /// <summary>Protected accesses served outside their home jurisdiction (<c>residency.csv</c>).</summary>
    Residency,

    /// <summary>Events per local date (<c>daily.csv</c>).</summary>
    Daily,

    /// <summary>Input problems and integrity problems, with their kind (<c>problems.csv</c>).</summary>
    Problems,

    /// <summary>Distinct persons per sensitive-data kind and counterparty against the bulk thresholds of 28 CFR 202 (<c>bulk-thresholds.csv</c>).</summary>
    BulkThresholds,

    /// <summary>
    /// Every flagged or denied access, most severe first, with its requester, resource, findings and approval
    /// (<c>needing-action.csv</c>): streamed from the report's sorted runs, never all held in memory.
    /// </summary>
    NeedingAction,

    /// <summary>Approvals used, by approver and by requester (<c>approvals.csv</c>).</summary>
    Approvals,
}
