#include "adapters/announce/announce.h"

#include <arpa/inet.h>
#include <linux/if_packet.h>
#include <net/ethernet.h>
#include <net/if.h>
#include <net/if_arp.h>
#include <sys/ioctl.h>
#include <sys/socket.h>

#include <cerrno>
#include <cstring>
#include <vector>

#include "adapters/announce/frames.h"
#include "common/strings.h"
#include "common/unique_fd.h"
#include "model/kernel.h"

namespace egret::announce {
namespace {

// "announce 10.6.1.21 on device "eth0"": the prefix of every error.
std::string Context(const std::string& device, const model::IpAddress& ip) {
  return "announce " + ip.ToString() + " on device " + Quote(device);
}

Status SocketError(const std::string& context, std::string_view step, int err) {
  if (err == ENETDOWN) return FailedPreconditionError(context + ": device is down");
  if (err == ENODEV || err == ENXIO) return NotFoundError(context + ": no such device");
  Status s = ErrnoError(std::string(context) + ": " + std::string(step), err);
  if (s.code() == Code::kUnavailable) return InternalError(s.message());
  return s;
}

StatusOr<model::MacAddress> DeviceMac(int fd, const std::string& device,
                                      const std::string& context) {
  struct ifreq ifr {};
  std::memcpy(ifr.ifr_name, device.data(), device.size());  // length checked by the caller
  if (::ioctl(fd, SIOCGIFHWADDR, &ifr) != 0) return SocketError(context, "SIOCGIFHWADDR", errno);
  if (ifr.ifr_hwaddr.sa_family != ARPHRD_ETHER) {
    return FailedPreconditionError(context + ": not an Ethernet device (hardware type " +
                                   std::to_string(ifr.ifr_hwaddr.sa_family) + ")");
  }
  model::MacAddress mac;
  std::memcpy(mac.data(), ifr.ifr_hwaddr.sa_data, mac.size());
  return mac;
}

// Where each frame goes: the device, the frame's EtherType and destination MAC.
sockaddr_ll Destination(int ifindex, const std::vector<uint8_t>& frame) {
  sockaddr_ll to{};
  to.sll_family = AF_PACKET;
  to.sll_ifindex = ifindex;
  to.sll_protocol = htons(static_cast<uint16_t>((frame[12] << 8) | frame[13]));
  to.sll_halen = ETH_ALEN;
  std::memcpy(to.sll_addr, frame.data(), ETH_ALEN);
  return to;
}

Status SendFrames(int fd, int ifindex, const std::vector<uint8_t>& frame, int count,
                  const std::string& context) {
  const sockaddr_ll to = Destination(ifindex, frame);
  for (int i = 0; i < count; ++i) {
    ssize_t n = ::sendto(fd, frame.data(), frame.size(), 0,
                         reinterpret_cast<const sockaddr*>(&to), sizeof(to));
    if (n < 0) return SocketError(context, "send", errno);
    if (static_cast<size_t>(n) != frame.size()) {
      return InternalError(context + ": sent " + std::to_string(n) + " of " +
                           std::to_string(frame.size()) + " bytes");
    }
  }
  return Status::Ok();
}

}  // namespace

Status Announce(const std::string& device, const model::IpAddress& ip, int count) {
  const std::string context = Context(device, ip);
  if (count < 1) {
    return InvalidError(context + ": count " + std::to_string(count) + " must be at least 1");
  }
  if (device.empty() || device.size() >= IFNAMSIZ) {
    return InvalidError(context + ": a device name has 1 to " + std::to_string(IFNAMSIZ - 1) +
                        " bytes");
  }
  const unsigned ifindex = ::if_nametoindex(device.c_str());
  if (ifindex == 0) return SocketError(context, "if_nametoindex", errno);

  // Protocol 0: the socket only sends, so the kernel queues no received frames on it.
  UniqueFd fd(::socket(AF_PACKET, SOCK_RAW | SOCK_CLOEXEC, 0));
  if (!fd.valid()) return SocketError(context, "AF_PACKET socket", errno);
  ASSIGN_OR_RETURN(model::MacAddress mac, DeviceMac(fd.get(), device, context));

  sockaddr_ll bind_to{};
  bind_to.sll_family = AF_PACKET;
  bind_to.sll_ifindex = static_cast<int>(ifindex);
  if (::bind(fd.get(), reinterpret_cast<const sockaddr*>(&bind_to), sizeof(bind_to)) != 0) {
    return SocketError(context, "bind", errno);
  }
  return SendFrames(fd.get(), static_cast<int>(ifindex), BuildAnnouncement(mac, ip), count,
                    context);
}

}  // namespace egret::announce
