#include "cni/cni_invocation.h"

#include <optional>
#include <vector>

#include "cni/cni_validate.h"
#include "cni/lenient_reader.h"
#include "common/strings.h"
#include "doc/json.h"
#include "model/reader.h"

namespace egret::cni {
namespace {

using model::FieldErrors;
using model::ObjectReader;

constexpr std::string_view kValidAttachmentsKey = "cni.dev/valid-attachments";
constexpr std::string_view kLegacyAttachmentsKey = "cni.dev/attachments";

std::string EnvOrEmpty(const CniEnv& env, std::string_view key) {
  auto it = env.find(key);
  return it == env.end() ? "" : it->second;
}

CniError Error(int code, const FieldErrors& errs, std::string_view prefix,
               const std::string& version) {
  std::string msg = Join(ErrorLines(errs, ""), "; ");
  CniError e = MakeCniError(code, prefix.empty() ? msg : std::string(prefix) + ": " + msg);
  e.version = version;
  return e;
}

// The configuration's cniVersion when it names a supported one: errors are answered in it.
std::string ReplyVersion(const StatusOr<doc::Value>& config) {
  const doc::Value* v = config.ok() ? config->Find("cniVersion") : nullptr;
  if (v && v->is_string() && IsSupportedVersion(v->as_string())) return v->as_string();
  return std::string(kLatestVersion);
}

// CNI_COMMAND, CNI_CONTAINERID, CNI_NETNS, CNI_IFNAME and CNI_ARGS into `req`.
void ReadEnvironment(const CniEnv& env, CniRequest* req, FieldErrors* errs) {
  req->container_id = EnvOrEmpty(env, "CNI_CONTAINERID");
  req->netns = EnvOrEmpty(env, "CNI_NETNS");
  req->ifname = EnvOrEmpty(env, "CNI_IFNAME");
  CheckAttachmentFields(*req, kEnvFieldNames, errs);
  if (req->command == CniCommand::kAdd || req->command == CniCommand::kDel ||
      req->command == CniCommand::kCheck) {
    req->args = ParseCniArgs(EnvOrEmpty(env, "CNI_ARGS"), "CNI_ARGS", errs);
  }
}

void ReadObjectField(ObjectReader& r, std::string_view key, doc::Value* out) {
  const doc::Value* v = r.Raw(key);
  if (v && !v->is_map()) r.Error(key, model::TypeMismatch("an object", *v));
  if (v && v->is_map()) *out = *v;
}

void ReadPluginFields(ObjectReader& r, CniInvocation* inv) {
  if (std::optional<std::string> s = r.String("agentSocket")) {
    inv->agent_socket = *s;
    if (std::string why = CheckSocketPath(*s); !why.empty()) r.Error("agentSocket", why);
  }
  if (auto t = r.Int("agentTimeoutSeconds", 1, kMaxAgentTimeoutSeconds)) {
    inv->agent_timeout_seconds = static_cast<int>(*t);
  }
}

// Only GC reads the attachment list; other commands accept and ignore it.
void ReadAttachments(ObjectReader& r, CniRequest* req) {
  std::string_view key = r.Has(kValidAttachmentsKey) ? kValidAttachmentsKey : kLegacyAttachmentsKey;
  const doc::Value* list = r.Raw(key);
  r.Raw(kValidAttachmentsKey);
  r.Raw(kLegacyAttachmentsKey);
  if (req->command != CniCommand::kGc) return;
  if (list) {
    req->valid_attachments = DecodeAttachments(*list, r.FieldPath(key), r.errors());
  } else {
    r.Error(kValidAttachmentsKey, "Required value: GC needs the list of attachments to keep");
  }
}

// Every configuration field but cniVersion.
void ReadConfig(ObjectReader& r, CniInvocation* inv) {
  CniRequest& req = inv->request;
  r.StringList("cniVersions");  // the runtime chose cniVersion from it; only its type matters
  req.network = r.RequiredString("name");
  if (!req.network.empty()) {
    if (std::string why = CheckNetworkName(req.network); !why.empty()) r.Error("name", why);
  }
  std::string type = r.RequiredString("type");
  if (!type.empty() && type != "egret") {
    r.Error("type", QuoteShort(type) + " is not this plugin's type: use \"egret\"");
  }
  ReadPluginFields(r, inv);
  if (auto mtu = r.Int("mtu", kMinMtu, kMaxMtu)) req.mtu = static_cast<int>(*mtu);
  ReadObjectField(r, "runtimeConfig", &req.runtime_config);
  ReadObjectField(r, "args", &req.config_args);
  if (const doc::Value* prev = r.Raw("prevResult")) {
    req.prev_result = DecodeCniResult(*prev, r.FieldPath("prevResult"), r.errors());
  } else if (req.command == CniCommand::kCheck) {
    r.Error("prevResult", "Required value: CHECK needs the result of the ADD");
  }
  ReadAttachments(r, &req);
}

// How configuration errors name the network: by its name when that is printable.
std::string ConfigPrefix(const doc::Value& config) {
  const doc::Value* name = config.Find("name");
  if (name && name->is_string() && name->as_string().size() <= 64 &&
      CheckNetworkName(name->as_string()).empty()) {
    return "CNI network " + Quote(name->as_string());
  }
  return "CNI network";
}

// The configuration, once it is known to be a JSON object: cniVersion first (it says how to
// read the rest), then every other field.
CniErrorOr<CniInvocation> ParseConfig(const doc::Value& config, CniInvocation inv,
                                      const std::string& version) {
  std::string prefix = ConfigPrefix(config);
  FieldErrors errs;
  const doc::Value* v = config.Find("cniVersion");
  if (!v || v->is_null()) errs.Add("cniVersion", "Required value");
  if (v && !v->is_null() && !v->is_string()) {
    errs.Add("cniVersion", model::TypeMismatch("a string", *v));
  }
  if (!errs.empty()) return Error(code::kInvalidConfig, errs, prefix, version);
  if (!IsSupportedVersion(v->as_string())) {
    errs.Add("cniVersion", QuoteShort(v->as_string()) +
                               " is not supported: use 0.4.0, 1.0.0 or "
                               "1.1.0");
    return Error(code::kIncompatibleVersion, errs, prefix, version);
  }
  inv.request.cni_version = v->as_string();
  ReadLenient(config, "", &errs, [&](ObjectReader& r) { ReadConfig(r, &inv); });
  if (!errs.empty()) return Error(code::kInvalidConfig, errs, prefix, version);
  FillPodIdentity(&inv.request);
  return inv;
}

CniErrorOr<CniInvocation> ParseVersionCommand(const StatusOr<doc::Value>& config,
                                              std::string_view stdin_text) {
  CniInvocation inv;
  inv.request.command = CniCommand::kVersion;
  if (Trim(stdin_text).empty()) return inv;
  if (!config.ok() || !config->is_map()) {
    return MakeCniError(code::kDecodeFailure, "the VERSION request on stdin is not a JSON object");
  }
  const doc::Value* v = config->Find("cniVersion");
  if (v && v->is_string()) inv.request.cni_version = v->as_string();
  return inv;
}

}  // namespace

CniErrorOr<CniInvocation> ParseInvocation(const CniEnv& env, std::string_view stdin_text) {
  if (stdin_text.size() > kMaxStdinBytes) {
    return MakeCniError(code::kDecodeFailure,
                        "the network configuration on stdin is larger than 1 MiB");
  }
  StatusOr<doc::Value> config = doc::ParseJson(stdin_text);
  std::string version = ReplyVersion(config);
  std::string command_text = EnvOrEmpty(env, "CNI_COMMAND");
  std::optional<CniCommand> command = ParseCommand(command_text);
  FieldErrors errs;
  if (!command) {
    errs.Add("CNI_COMMAND", command_text.empty() ? "Required value"
                                                 : QuoteShort(command_text) +
                                                       " is not a CNI command: use ADD, DEL, "
                                                       "CHECK, STATUS, GC or VERSION");
    return Error(code::kInvalidEnvironment, errs, "", version);
  }
  if (*command == CniCommand::kVersion) return ParseVersionCommand(config, stdin_text);
  CniInvocation inv;
  inv.request.command = *command;
  ReadEnvironment(env, &inv.request, &errs);
  if (!errs.empty()) return Error(code::kInvalidEnvironment, errs, "", version);
  if (!config.ok() || !config->is_map()) {
    std::string why = config.ok() ? "must be a JSON object, not " + std::string(config->type_name())
                                  : "is not valid JSON: " + config.status().message();
    CniError e = MakeCniError(code::kDecodeFailure, "the network configuration on stdin " + why);
    e.version = version;
    return e;
  }
  return ParseConfig(*config, std::move(inv), version);
}

}  // namespace egret::cni
