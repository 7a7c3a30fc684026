namespace DataAccessAudit.Tests.Diagnostics;

/// <summary>Tests that add an <see cref="System.Diagnostics.ActivityListener"/>, run alone.</summary>
[CollectionDefinition(DisableParallelization = true)]
public sealed class ActivityListeners;
