// The contract between egret-cni and the agent that does the work. The plugin validates its
// invocation, sends one request frame over the agent's unix socket (newline-delimited JSON,
// api/transport.h) and prints what comes back:
//
//   request  {"op": "cni", "command": "ADD|DEL|CHECK|STATUS|GC", "cniVersion": "1.1.0",
//             "network": "egret", "containerID": "...", "netns": "/var/run/netns/...",
//             "ifname": "eth0", "args": {"K8S_POD_NAMESPACE": "...", ...}, "mtu": 1450,
//             "runtimeConfig": {...}, "configArgs": {...}, "prevResult": {<result>},
//             "validAttachments": [{"containerID": "...", "ifname": "eth0"}]}
//            (fields without a value are left out)
//   reply    {"ok": true, "result": {<result, 1.1.0 shape>}}        ADD
//            {"ok": true}                                           DEL, CHECK, STATUS, GC
//            {"ok": false, "error": {"code": "Unavailable", "message": "...", "cniCode": 11}}
//
// Both sides ignore fields they do not know, so a plugin and an agent one release apart still
// talk. The agent implements CniBackend and answers frames with HandleCniFrame.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "cni/cni_result.h"
#include "cni/cni_types.h"
#include "common/status.h"
#include "doc/value.h"
#include "model/field_errors.h"

namespace egret::cni {

inline constexpr std::string_view kCniOp = "cni";
inline constexpr std::string_view kDefaultAgentSocket = "/run/egret/agent.sock";

// One attachment of a container to the network: what GC is told to keep.
struct CniAttachment {
  std::string container_id;
  std::string ifname;
  friend bool operator==(const CniAttachment&, const CniAttachment&) = default;
};

// A validated CNI request. Which fields are set depends on the command:
//   ADD, CHECK   container_id, netns, ifname; CHECK also prev_result
//   DEL          container_id, ifname; netns may be empty (the namespace is already gone)
//   GC           valid_attachments (every attachment not listed is stale)
//   STATUS       nothing beyond the network configuration
struct CniRequest {
  CniCommand command = CniCommand::kAdd;
  std::string cni_version;  // the configuration's spec version
  std::string network;      // the configuration's "name"
  std::string container_id;
  std::string netns;
  std::string ifname;
  std::map<std::string, std::string> args;  // CNI_ARGS
  // From args K8S_POD_NAMESPACE / K8S_POD_NAME / K8S_POD_UID; empty when not given.
  std::string pod_namespace;
  std::string pod_name;
  std::string pod_uid;
  std::optional<int> mtu;     // the configuration's "mtu"; unset: the agent's default
  doc::Value runtime_config;  // the configuration's "runtimeConfig", as given (null: absent)
  doc::Value config_args;     // the configuration's "args", as given (null: absent)
  std::optional<CniResult> prev_result;
  std::vector<CniAttachment> valid_attachments;
  friend bool operator==(const CniRequest&, const CniRequest&) = default;
};

// The MTU range accepted in configurations: 576 (the smallest datagram every IPv4 host
// reassembles) to 65535.
inline constexpr int kMinMtu = 576;
inline constexpr int kMaxMtu = 65535;

// Names of the attachment fields where they are read from, for error paths: environment
// variables in the plugin, frame keys in the agent.
struct AttachmentFieldNames {
  std::string_view container_id;
  std::string_view netns;
  std::string_view ifname;
};
inline constexpr AttachmentFieldNames kEnvFieldNames = {"CNI_CONTAINERID", "CNI_NETNS",
                                                        "CNI_IFNAME"};
inline constexpr AttachmentFieldNames kFrameFieldNames = {"containerID", "netns", "ifname"};

// The per-command rules for container_id, netns and ifname above (required ones present and
// valid; optional ones valid when given; ones the command does not use are not checked).
void CheckAttachmentFields(const CniRequest& req, const AttachmentFieldNames& names,
                           model::FieldErrors* errs);
// Sets pod_namespace, pod_name and pod_uid from args.
void FillPodIdentity(CniRequest* req);
// A list of {"containerID", "ifname"} objects, each checked like the environment's.
std::vector<CniAttachment> DecodeAttachments(const doc::Value& list, const std::string& path,
                                             model::FieldErrors* errs);

// The request frame.
doc::Value EncodeCniRequest(const CniRequest& req);
// Decodes and validates a request frame by the same rules the plugin applies to its
// invocation; Invalid, one line per problem (`CNI request: <field>: <reason>`), otherwise.
StatusOr<CniRequest> DecodeCniRequest(const doc::Value& frame);

// Replies. An error reply carries CniCodeFor(command, status.code()).
doc::Value EncodeCniReply(CniCommand command, const StatusOr<CniResult>& result);
doc::Value EncodeCniReply(CniCommand command, const Status& status);
// The plugin's reading of a reply: the result (ADD; nullopt for the other commands), or the
// error to print: the agent's message with its cniCode (CniCodeFor when absent or outside
// 1-999), or code 100 for a reply that is malformed.
CniErrorOr<std::optional<CniResult>> DecodeCniReply(CniCommand command, const doc::Value& reply);

// What the agent does for each command. Implementations are called with validated requests
// (HandleCniFrame checks first) and may block; the runtime does not send two requests for one
// container at once, but does for different containers.
class CniBackend {
 public:
  virtual ~CniBackend() = default;
  // Attaches the container: creates its interface, allocates addresses, installs routes.
  // A second ADD of an attachment that exists returns its result or AlreadyExists (102).
  virtual StatusOr<CniResult> Add(const CniRequest& req) = 0;
  // Detaches and releases everything of the attachment. Idempotent: Ok when nothing is left,
  // also without netns or prev_result; never NotFound.
  virtual Status Del(const CniRequest& req) = 0;
  // Ok when the attachment is as prev_result describes; NotFound (3) when the container is
  // unknown; another error saying what is missing or wrong.
  virtual Status Check(const CniRequest& req) = 0;
  // Releases what belongs to attachments of req.network not in req.valid_attachments. Best
  // effort: cleans as much as it can and reports what failed.
  virtual Status Gc(const CniRequest& req) = 0;
  // The STATUS command (named Ready so that it does not hide the Status type in derived
  // classes): Ok when the agent can serve ADD; Unavailable (50) when it cannot, e.g. no pod
  // CIDR yet or no free address; FailedPrecondition (51) when existing pods are affected too.
  virtual Status Ready(const CniRequest& req) = 0;
};

// Answers one {"op": "cni", ...} frame: decodes and validates it, calls the backend and
// encodes its answer. Never fails: every problem becomes an error reply.
doc::Value HandleCniFrame(CniBackend& backend, const doc::Value& frame);

}  // namespace egret::cni
