"""An honest notebook saved oddly must get full marks: both answer cells start with magics
(``%%time``; ``%%capture out`` over ``%time``), the computeOuterProduct answer was finished in a
pasted copy of its cell while the original was left as handed out (the last definition counts,
as in a fresh kernel), and the file was saved by an older JupyterLab (nbformat 4.4, no cell ids)
on Windows (CRLF line ends, a UTF-8 byte-order mark). Once: 0 for %%time, `invalid` for the
copy."""
EXPECTED = {"parsePoint": 1, "prepareSongs": 3, "computeOuterProduct": 2, "linregClosedForm": 4,
            "linregClosedFormPartitions": 5}
STATUS = "graded"
REASON = (r"^cells have no ids \(old nbformat\).*; answer cell 01-013 appears 2 times "
          r"\(pasted copies\)")
MUTATE = ("magic:computeOuterProduct:%%time+paste:computeOuterProduct"
          "+magic:linregClosedForm:%time n = 1+magic:linregClosedForm:%%capture out"
          "+nbformat44+crlf_bom")
