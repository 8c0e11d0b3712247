"""The computeOuterProduct answer cell does not parse: that question scores 0 with the
SyntaxError in the reason; linregClosedForm is graded with the reference computeOuterProduct."""
EXPECTED = {"parsePoint": 1, "prepareSongs": 0, "computeOuterProduct": 0, "linregClosedForm": 4,
            "linregClosedFormPartitions": 5}
STATUS = "graded"
REASON = (r"^prepareSongs 0/3: not answered \(its answer cell is as handed out\); "
          r"computeOuterProduct 0/2: .*NameError.*answer cell 01-013 raised SyntaxError")
# The cell's code cannot be a section of this (parseable) file: CELLS gives it as text.
CELLS = {"computeOuterProduct": "def computeOuterProduct(lp)\n    return np.outer(lp.features, lp.features)\n"}
MUTATE = "blank:prepareSongs"  # as handed out: no prepareSongs calls before the attack
