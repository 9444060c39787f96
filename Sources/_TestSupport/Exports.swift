// Every test that imports _TestSupport also sees the oracles.
@_exported import _TestOracles
