#include <pcap/pcap.h>
// struct sock_fprog, for attaching a compiled program to libpcap's socket ourselves.
#include <linux/filter.h>
