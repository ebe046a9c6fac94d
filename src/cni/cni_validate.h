// Checks of the values a runtime passes to the plugin, shared by the plugin (which validates
// its invocation) and the agent's dispatcher (which trusts no frame). Each returns the reason a
// value is invalid, worded for an error line `<field>: <reason>`, or "" when it is valid.
#pragma once

#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "model/field_errors.h"

namespace egret::cni {

inline constexpr size_t kMaxContainerIdLength = 255;
inline constexpr size_t kMaxIfnameLength = 15;  // IFNAMSIZ - 1
inline constexpr size_t kMaxPathLength = 4095;  // PATH_MAX - 1
// sun_path holds 108 bytes including the terminating NUL.
inline constexpr size_t kMaxSocketPathLength = 107;

// Container IDs and network names: [A-Za-z0-9][A-Za-z0-9_.-]*; IDs at most 255 characters.
std::string CheckContainerId(std::string_view id);
std::string CheckNetworkName(std::string_view name);
// Interface names as the kernel takes them: 1-15 characters, not "." or "..", without '/',
// ':', whitespace or control characters.
std::string CheckIfname(std::string_view name);
// A network namespace path: absolute, normalized (no "", "." or ".." components), without
// control characters, under /proc/, /run/netns/ or /var/run/netns/.
std::string CheckNetnsPath(std::string_view path);
// The agent's socket: an absolute, normalized path that fits a unix socket address.
std::string CheckSocketPath(std::string_view path);
// A MAC address: 6 (Ethernet) or 20 (InfiniBand) hex octets separated by ':'.
std::string CheckMac(std::string_view mac);

// The Kubernetes pod identity the runtime passes in CNI_ARGS.
inline constexpr std::string_view kPodNamespaceArg = "K8S_POD_NAMESPACE";
inline constexpr std::string_view kPodNameArg = "K8S_POD_NAME";
inline constexpr std::string_view kPodUidArg = "K8S_POD_UID";

// CNI_ARGS: "K=V;K=V". Keys are letters, digits and '_'; values have no control characters;
// a key appears once; empty pairs (a trailing ';') are skipped. The pod namespace must be a
// DNS label and the pod name a DNS subdomain, and they come together. Errors are added at
// `path` (the variable's name); the pairs that passed are returned.
std::map<std::string, std::string> ParseCniArgs(std::string_view text, const std::string& path,
                                                model::FieldErrors* errs);
// The key, value and pod-identity rules of ParseCniArgs, for an args map that arrives decoded
// (a frame).
void CheckArgs(const std::map<std::string, std::string>& args, const std::string& path,
               model::FieldErrors* errs);

// One line per error, `<prefix>: <path>: <reason>` (without "<prefix>: " when prefix is empty).
std::vector<std::string> ErrorLines(const model::FieldErrors& errs, std::string_view prefix);

// Quote() of at most the first 64 bytes, so that a hostile megabyte does not end up in a log.
std::string QuoteShort(std::string_view s);

}  // namespace egret::cni
