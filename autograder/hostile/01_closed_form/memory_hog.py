"""computeOuterProduct allocates memory until the sandbox's limit (1 GiB at a time, pages
populated at once): the kernel is killed, that question scores 0 (error), linregClosedForm is
still graded. Where memory is limited by RLIMIT_AS instead, the allocation fails with an error."""
EXPECTED = {"parsePoint": 1, "prepareSongs": 0, "computeOuterProduct": 0, "linregClosedForm": 4,
            "linregClosedFormPartitions": 5}
STATUS = "error"
REASON = (r"^prepareSongs 0/3: not answered \(its answer cell is as handed out\); "
          r"computeOuterProduct 0/2: the memory limit was reached and the kernel was killed in call 1$")
STATUS_WITHOUT_CGROUPS = "graded"
REASON_WITHOUT_CGROUPS = (r"^prepareSongs 0/3: not answered \(its answer cell is as handed out\); "
                          r"computeOuterProduct 0/2: .*raised (MemoryError|OSError)")
MUTATE = "blank:prepareSongs"  # as handed out: no prepareSongs calls before the attack
# %% computeOuterProduct
def computeOuterProduct(lp):
    import mmap
    hog = []
    while True:
        hog.append(mmap.mmap(-1, 1 << 28, flags=mmap.MAP_PRIVATE | mmap.MAP_ANONYMOUS
                             | mmap.MAP_POPULATE))
