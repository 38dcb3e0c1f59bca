"""TEST DOUBLE of llenergymeasure's container contract, for attach mode process: not llenergymeasure.

Only ``llenergymeasure.entrypoints.container`` exists here; see that module.
"""
