#include "adapters/nftables/nft_diagnostics.h"

#include <algorithm>
#include <optional>

#include "common/strings.h"

namespace egret::nftables {
namespace {

struct Location {
  std::string source;
  int line = 0;
  int column = 0;
};

// "SOURCE:LINE:FIRST-LAST" (SOURCE may itself contain ':'), parsed from the right.
std::optional<Location> ParseLocation(std::string_view text) {
  size_t dash = text.rfind('-');
  size_t colon2 = text.rfind(':', dash);
  if (dash == std::string_view::npos || colon2 == std::string_view::npos || colon2 == 0) {
    return std::nullopt;
  }
  size_t colon1 = text.rfind(':', colon2 - 1);
  if (colon1 == std::string_view::npos) return std::nullopt;
  auto line = ParseInt(text.substr(colon1 + 1, colon2 - colon1 - 1));
  auto first = ParseInt(text.substr(colon2 + 1, dash - colon2 - 1));
  auto last = ParseInt(text.substr(dash + 1));
  if (!line || !first || !last) return std::nullopt;
  return Location{std::string(text.substr(0, colon1)), static_cast<int>(*line),
                  static_cast<int>(*first)};
}

// A record's first line: "[PREFIX: ]Error: MESSAGE" (or Warning). nullopt for other lines.
std::optional<NftDiagnostic> ParseRecordLine(std::string_view line, std::string_view source) {
  for (std::string_view severity : {"Error", "Warning"}) {
    std::string marker = std::string(severity) + ": ";
    size_t at = line.find(marker);
    if (at == std::string_view::npos) continue;
    if (at != 0 && (at < 2 || line.substr(at - 2, 2) != ": ")) continue;
    NftDiagnostic d;
    d.severity = std::string(severity);
    d.message = std::string(line.substr(at + marker.size()));
    if (at != 0) {
      std::optional<Location> loc = ParseLocation(line.substr(0, at - 2));
      if (loc && loc->source == source && loc->line > 0) {
        d.line = loc->line;
        d.column = loc->column;
      }
    }
    return d;
  }
  return std::nullopt;
}

bool IsCaretLine(std::string_view line) {
  return !line.empty() && line.find_first_not_of(" \t^~") == std::string_view::npos &&
         line.find_first_of("^~") != std::string_view::npos;
}

std::string ScriptLine(std::string_view script, int n) {
  std::vector<std::string_view> lines = Split(script, '\n');
  if (n < 1 || static_cast<size_t>(n) > lines.size()) return "";
  return std::string(Trim(lines[n - 1]));
}

std::string Describe(const NftDiagnostic& d) {
  std::string out;
  if (d.line > 0) {
    out = "line " + std::to_string(d.line);
    if (d.column > 0) out += ", column " + std::to_string(d.column);
    out += ": ";
  }
  out += d.message;
  if (!d.text.empty()) out += " (in " + Quote(d.text) + ")";
  return out;
}

}  // namespace

std::vector<NftDiagnostic> ParseNftDiagnostics(std::string_view error_buffer,
                                               std::string_view source_name,
                                               std::string_view script) {
  std::vector<NftDiagnostic> out;
  std::vector<std::string_view> lines = Split(error_buffer, '\n');
  for (size_t i = 0; i < lines.size(); ++i) {
    std::optional<NftDiagnostic> d = ParseRecordLine(lines[i], source_name);
    if (!d) {
      // Anything else that is not the echo of a record is kept, so no text is lost.
      if (!Trim(lines[i]).empty() && !IsCaretLine(lines[i])) {
        NftDiagnostic other;
        other.severity = "Error";
        other.message = std::string(Trim(lines[i]));
        out.push_back(std::move(other));
      }
      continue;
    }
    if (d->line > 0) d->text = ScriptLine(script, d->line);
    // The echo: the offending line, then the carets (either may be missing).
    if (i + 2 < lines.size() && IsCaretLine(lines[i + 2]) && !IsCaretLine(lines[i + 1])) {
      i += 2;
    } else if (i + 1 < lines.size() && IsCaretLine(lines[i + 1])) {
      i += 1;
    }
    out.push_back(std::move(*d));
  }
  return out;
}

Status ScriptRejected(const std::vector<NftDiagnostic>& diagnostics, int rc) {
  std::vector<std::string> parts;
  bool permission = false;
  for (const NftDiagnostic& d : diagnostics) {
    if (d.severity != "Error") continue;
    parts.push_back(Describe(d));
    permission = permission || d.message.find("Operation not permitted") != std::string::npos;
  }
  std::string message = "nftables rejected the script, nothing was changed: ";
  if (parts.empty()) {
    message += "libnftables gave no reason (exit code " + std::to_string(rc) + ")";
  } else {
    message += Join(parts, "\n");
  }
  if (permission) {
    return FailedPreconditionError(message +
                                   "\n(the process needs CAP_NET_ADMIN in this network namespace)");
  }
  return InvalidError(std::move(message));
}

}  // namespace egret::nftables
