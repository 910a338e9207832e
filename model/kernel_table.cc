// The 6.12.117 kernel function table and the running table of each thread
// (model/kernel_functions.h).
#include "model/kernel_functions.h"

GUP_DOMAIN_BEGIN
namespace kernel {

constinit const Kernel kernel_6_12_table = {
#define GUP_KERNEL_BASE_(ret, name, params) .name = &name,
    GUP_KERNEL_FUNCTIONS(GUP_KERNEL_BASE_)
#undef GUP_KERNEL_BASE_
};

thread_local constinit const Kernel* active_kernel = &kernel_6_12_table;

}  // namespace kernel
GUP_DOMAIN_END
