// What libnftables says about a rejected script, turned into a Status. Pure text processing, so
// it is tested without a kernel.
//
// libnftables prints its diagnostics to the context's error buffer, one record per problem:
//   SOURCE:LINE:FIRST-LAST: Error: MESSAGE
//   <the offending line of the script>
//   <carets under the offending columns>
// where SOURCE is the name the script was read from. (For scripts passed as a buffer it prints no
// location at all and always shows the script's first line, which is why the driver hands
// scripts over as a file; see docs/design/nftables.md.)
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"

namespace egret::nftables {

struct NftDiagnostic {
  int line = 0;          // 1-based line in the script; 0 when libnftables gave no location
  int column = 0;        // 1-based first column of the offending text; 0 when unknown
  std::string severity;  // "Error" or "Warning"
  std::string message;   // "conflicting intervals specified"
  std::string text;      // the script's line `line`, without surrounding blanks; "" without one
};

// Parses an error buffer for a script read from `source_name`. Records of other sources
// ("internal:0:0-0: Error: ...", "netlink: Error: ...") keep their message without a location;
// the line/caret echo after a record is dropped (the text comes from `script` itself).
std::vector<NftDiagnostic> ParseNftDiagnostics(std::string_view error_buffer,
                                               std::string_view source_name,
                                               std::string_view script);

// The Status of a script that libnftables refused (exit code `rc`); nothing was changed.
//   Invalid: nftables rejected the script, nothing was changed: line 4, column 63: conflicting
//   intervals specified (in "set internal4 { ... }")
// One line per error; FailedPrecondition when the kernel refused the permission (EPERM).
Status ScriptRejected(const std::vector<NftDiagnostic>& diagnostics, int rc);

}  // namespace egret::nftables
