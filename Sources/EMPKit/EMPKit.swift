// EMPKit: every public module of the package, imported at once (`import EMPKit`).
@_exported import EMPCore
@_exported import EMPFast
@_exported import EMPModel
@_exported import EMPReference
@_exported import EMPVerify
@_exported import Exact
@_exported import TensorIO
