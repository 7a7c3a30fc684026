using DataAccessAudit.ReportGenerator;

// access-report: see `access-report --help`, docs/reports.md and the README.
return AccessReportCommandLine.Run(args, Terminal.FromConsole());
