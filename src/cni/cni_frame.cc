// The request frame of cni_backend.h and the checks it shares with the plugin's invocation.
#include <string>

#include "cni/cni_backend.h"
#include "cni/cni_validate.h"
#include "cni/lenient_reader.h"
#include "common/strings.h"
#include "model/meta.h"
#include "model/reader.h"

namespace egret::cni {
namespace {

using model::FieldErrors;
using model::ObjectReader;

void CheckField(std::string_view name, const std::string& reason, FieldErrors* errs) {
  if (!reason.empty()) errs->Add(std::string(name), reason);
}

std::string ArgOrEmpty(const std::map<std::string, std::string>& args, std::string_view key) {
  auto it = args.find(std::string(key));
  return it == args.end() ? "" : it->second;
}

// The request's fields other than the attachment's, from a frame.
void DecodeFrameFields(ObjectReader& r, CniRequest* req) {
  req->cni_version = r.RequiredString("cniVersion");
  if (!req->cni_version.empty() && !IsSupportedVersion(req->cni_version)) {
    r.Error("cniVersion", QuoteShort(req->cni_version) + " is not a supported CNI version: use " +
                              "0.4.0, 1.0.0 or 1.1.0");
  }
  req->network = r.RequiredString("network");
  if (!req->network.empty())
    CheckField(r.FieldPath("network"), CheckNetworkName(req->network), r.errors());
  req->container_id = r.String("containerID").value_or("");
  req->netns = r.String("netns").value_or("");
  req->ifname = r.String("ifname").value_or("");
  req->args = r.StringMap("args");
  CheckArgs(req->args, r.FieldPath("args"), r.errors());
  if (auto mtu = r.Int("mtu", kMinMtu, kMaxMtu)) req->mtu = static_cast<int>(*mtu);
  for (auto [key, field] : {std::pair{"runtimeConfig", &req->runtime_config},
                            std::pair{"configArgs", &req->config_args}}) {
    const doc::Value* v = r.Raw(key);
    if (v && !v->is_map()) r.Error(key, model::TypeMismatch("an object", *v));
    if (v && v->is_map()) *field = *v;
  }
  if (const doc::Value* prev = r.Raw("prevResult")) {
    req->prev_result = DecodeCniResult(*prev, r.FieldPath("prevResult"), r.errors());
  }
  if (const doc::Value* list = r.Raw("validAttachments")) {
    req->valid_attachments = DecodeAttachments(*list, r.FieldPath("validAttachments"), r.errors());
  }
}

}  // namespace

void CheckAttachmentFields(const CniRequest& req, const AttachmentFieldNames& names,
                           FieldErrors* errs) {
  if (req.command != CniCommand::kAdd && req.command != CniCommand::kDel &&
      req.command != CniCommand::kCheck) {
    return;  // STATUS and GC concern the network, not one attachment
  }
  CheckField(names.container_id, CheckContainerId(req.container_id), errs);
  // DEL may come after the namespace is gone; it must still release what it can.
  if (req.command != CniCommand::kDel || !req.netns.empty()) {
    CheckField(names.netns, CheckNetnsPath(req.netns), errs);
  }
  CheckField(names.ifname, CheckIfname(req.ifname), errs);
}

void FillPodIdentity(CniRequest* req) {
  req->pod_namespace = ArgOrEmpty(req->args, kPodNamespaceArg);
  req->pod_name = ArgOrEmpty(req->args, kPodNameArg);
  req->pod_uid = ArgOrEmpty(req->args, kPodUidArg);
}

std::vector<CniAttachment> DecodeAttachments(const doc::Value& list, const std::string& path,
                                             FieldErrors* errs) {
  std::vector<CniAttachment> out;
  if (!list.is_list()) {
    errs->Add(path, model::TypeMismatch("a list", list));
    return out;
  }
  for (size_t i = 0; i < list.as_list().size(); ++i) {
    ReadLenient(list.as_list()[i], model::Index(path, i), errs, [&](ObjectReader& r) {
      CniAttachment a;
      a.container_id = r.String("containerID").value_or("");
      a.ifname = r.String("ifname").value_or("");
      CheckField(r.FieldPath("containerID"), CheckContainerId(a.container_id), errs);
      CheckField(r.FieldPath("ifname"), CheckIfname(a.ifname), errs);
      out.push_back(std::move(a));
    });
  }
  return out;
}

doc::Value EncodeCniRequest(const CniRequest& req) {
  doc::Value v = doc::Value::EmptyMap();
  v.Set("op", kCniOp);
  v.Set("command", CommandName(req.command));
  v.Set("cniVersion", req.cni_version);
  v.Set("network", req.network);
  if (!req.container_id.empty()) v.Set("containerID", req.container_id);
  if (!req.netns.empty()) v.Set("netns", req.netns);
  if (!req.ifname.empty()) v.Set("ifname", req.ifname);
  if (!req.args.empty()) v.Set("args", model::StringMapValue(req.args));
  if (req.mtu) v.Set("mtu", *req.mtu);
  if (!req.runtime_config.is_null()) v.Set("runtimeConfig", req.runtime_config);
  if (!req.config_args.is_null()) v.Set("configArgs", req.config_args);
  if (req.prev_result) v.Set("prevResult", EncodeCniResult(*req.prev_result, kLatestVersion));
  if (req.command == CniCommand::kGc) {
    doc::Value list = doc::Value::EmptyList();
    for (const CniAttachment& a : req.valid_attachments) {
      doc::Value item = doc::Value::EmptyMap();
      item.Set("containerID", a.container_id);
      item.Set("ifname", a.ifname);
      list.Append(std::move(item));
    }
    v.Set("validAttachments", std::move(list));
  }
  return v;
}

StatusOr<CniRequest> DecodeCniRequest(const doc::Value& frame) {
  FieldErrors errs;
  CniRequest req;
  bool have_command = false;
  ReadLenient(frame, "", &errs, [&](ObjectReader& r) {
    std::string op = r.RequiredString("op");
    if (!op.empty() && op != kCniOp) r.Error("op", QuoteShort(op) + " is not \"cni\"");
    std::string command = r.RequiredString("command");
    std::optional<CniCommand> c = ParseCommand(command);
    if (!command.empty() && (!c || *c == CniCommand::kVersion)) {
      r.Error("command", QuoteShort(command) +
                             " is not a command the agent serves: use ADD, DEL, "
                             "CHECK, STATUS or GC");
    } else if (c) {
      req.command = *c;
      have_command = true;
    }
    DecodeFrameFields(r, &req);
    if (have_command && req.command == CniCommand::kCheck && !r.Has("prevResult")) {
      r.Error("prevResult", "Required value: CHECK needs the result of the ADD");
    }
    if (have_command && req.command == CniCommand::kGc && !r.Has("validAttachments")) {
      r.Error("validAttachments", "Required value: GC needs the list of attachments to keep");
    }
  });
  if (have_command) CheckAttachmentFields(req, kFrameFieldNames, &errs);
  if (!errs.empty()) return InvalidError(Join(ErrorLines(errs, "CNI request"), "\n"));
  FillPodIdentity(&req);
  return req;
}

}  // namespace egret::cni
