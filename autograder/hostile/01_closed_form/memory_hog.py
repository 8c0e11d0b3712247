"""parsePoint allocates memory until the sandbox's limit (1 GiB at a time, pages
populated at once): the kernel is killed, that question scores 0 (error), computeOuterProduct is
still graded. Where memory is limited by RLIMIT_AS instead, the allocation fails with an error."""
EXPECTED = {"parsePoint": 0, "prepareSongs": 0, "computeOuterProduct": 2, "linregClosedForm": 0,
            "linregClosedFormPartitions": 0}
STATUS = "error"
REASON = (r"^parsePoint 0/1: the memory limit was reached and the kernel was killed in call 1; "
          r"prepareSongs 0/3: its answer cell \(01-217\) is missing[^;]*; "
          r"linregClosedForm 0/4: its answer cell \(01-025\) is missing[^;]*; "
          r"linregClosedFormPartitions 0/5: its answer cell \(01-pp-04\) is missing[^;]*$")
STATUS_WITHOUT_CGROUPS = "partial"
REASON_WITHOUT_CGROUPS = r"^parsePoint 0/1: .*raised (MemoryError|OSError)"
MUTATE = "drop:prepareSongs+drop:linregClosedForm+drop:linregClosedFormPartitions"
# Its Spark questions' answer cells are deleted (MUTATE), so grading it needs no Spark;
# computeOuterProduct, after the attack, is graded in a new sandbox. (segfault.py and
# process_spray.py end a kernel in a Spark question, with a Spark question graded after it.)
# %% parsePoint
def parsePoint(line):
    import mmap
    hog = []
    while True:
        hog.append(mmap.mmap(-1, 1 << 28, flags=mmap.MAP_PRIVATE | mmap.MAP_ANONYMOUS
                             | mmap.MAP_POPULATE))
