namespace DataAccessAudit.PostgreSql.Writing;

// A spill file or directory found open to other users than its owner (left so by a version that created it with the
// process's umask, 0644 and 0755), and what was done: tightened to NewMode, or, with Refusal saying why, left as it is.
internal sealed record SpillModeChange(string Kind, string Path, string OldMode, string NewMode, string? Refusal);
