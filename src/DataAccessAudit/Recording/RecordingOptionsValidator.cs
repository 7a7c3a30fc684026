using Microsoft.Extensions.Options;

namespace DataAccessAudit.Recording;

// The declarative rules (ExpectedRange, ExpectedEnum), generated at compile time so that validation needs no reflection.
[OptionsValidator]
internal sealed partial class RecordingOptionsValidator : IValidateOptions<RecordingOptions>;
