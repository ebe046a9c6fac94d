#include "cni/cni_types.h"

#include <algorithm>

namespace egret::cni {
namespace {

constexpr std::array<std::pair<CniCommand, std::string_view>, 6> kCommands = {{
    {CniCommand::kAdd, "ADD"},
    {CniCommand::kDel, "DEL"},
    {CniCommand::kCheck, "CHECK"},
    {CniCommand::kStatus, "STATUS"},
    {CniCommand::kGc, "GC"},
    {CniCommand::kVersion, "VERSION"},
}};

}  // namespace

std::string_view CommandName(CniCommand c) {
  for (const auto& [cmd, name] : kCommands) {
    if (cmd == c) return name;
  }
  return "?";
}

std::optional<CniCommand> ParseCommand(std::string_view name) {
  for (const auto& [cmd, n] : kCommands) {
    if (n == name) return cmd;
  }
  return std::nullopt;
}

bool IsSupportedVersion(std::string_view version) {
  return std::find(kSupportedVersions.begin(), kSupportedVersions.end(), version) !=
         kSupportedVersions.end();
}

doc::Value EncodeCniError(const CniError& e) {
  doc::Value v = doc::Value::EmptyMap();
  v.Set("cniVersion", e.version);
  v.Set("code", e.code);
  v.Set("msg", e.msg);
  if (!e.details.empty()) v.Set("details", e.details);
  return v;
}

int CniCodeFor(CniCommand command, Code c) {
  if (command == CniCommand::kStatus) {
    return c == Code::kFailedPrecondition ? code::kPluginNotAvailableDegraded
                                          : code::kPluginNotAvailable;
  }
  switch (c) {
    case Code::kUnavailable:
    case Code::kDeadlineExceeded:
    case Code::kConflict:
    case Code::kGone:
      return code::kTryAgainLater;
    case Code::kNotFound:
      return command == CniCommand::kCheck ? code::kUnknownContainer : code::kTryAgainLater;
    case Code::kInvalid:
      return code::kInvalidConfig;
    case Code::kFailedPrecondition:
      return code::kAgentRefused;
    case Code::kAlreadyExists:
      return code::kAttachmentExists;
    case Code::kUnauthorized:
      return code::kNotAuthorized;
    case Code::kOk:
    case Code::kInternal:
      break;
  }
  return code::kAgentFailed;
}

}  // namespace egret::cni
