using Microsoft.Extensions.Options;

namespace DataAccessAudit.Log;

// The declarative rules (Required, ExpectedRange), generated at compile time so that validation needs no reflection.
[OptionsValidator]
internal sealed partial class FileLogOptionsValidator : IValidateOptions<FileLogOptions>;
