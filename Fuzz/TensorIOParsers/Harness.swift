// libFuzzer entry point for the TensorIO parsers: it calls the in-memory parsers directly,
// without files. The SwiftPM target fuzz-tensorio-parsers, built with libFuzzer and
// AddressSanitizer and run by Fuzz/tensorio-parsers.sh; see Fuzz/README.md.
import TensorIO
import _FuzzSupport

/// Feeds one input to every in-memory parser and checks the invariants of whatever they accept.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
  let bytes = UnsafeRawBufferPointer(start: data, count: size)
  check(bytes) { try SafeTensorsFile.parse($0) } accepted: { file in
    var end = file.dataOffset
    for tensor in file.tensors {
      precondition(tensor.dataOffset == end, "tensors must tile the data section")
      precondition(CheckedSize.byteCount(tensor.shape, tensor.dtype) == tensor.byteCount)
      end += tensor.byteCount
    }
    precondition(end == size, "tensors must end at the end of the file")
  }
  check(bytes) { try NPYFile.parse($0) } accepted: { file in
    let tensor = file.tensor
    precondition(tensor.dataOffset + tensor.byteCount == size, "data must end at the end of the file")
    gatherInCOrder(tensor, from: bytes)
  }
  check(bytes) { try ScoreText.tokens(in: $0) } accepted: { tokens in
    precondition(tokens.allSatisfy { !$0.text.isEmpty && $0.line >= 1 })
  }
  check(bytes) { try ShardedSafeTensors.weightMap($0, source: "index.json") } accepted: { _ in }
  return 0
}

/// Runs `parse`, checks an accepted result, and renders any error's description (which must be one line).
private func check<T>(
  _ bytes: UnsafeRawBufferPointer, _ parse: (UnsafeRawBufferPointer) throws -> T, accepted: (T) -> Void
) {
  do {
    accepted(try parse(bytes))
  } catch let error as TensorIOError {
    precondition(!error.description.contains(where: \.isNewline), "error descriptions are one line")
  } catch {
    preconditionFailure("unexpected error type \(error)")
  }
}

/// Walks an accepted `.npy` array in C order with the reader's gather and byte-swap code.
private func gatherInCOrder(_ tensor: TensorDescriptor, from bytes: UnsafeRawBufferPointer) {
  guard tensor.memoryOrder == .fortran, tensor.byteCount > 0, tensor.byteCount <= 1 << 16 else { return }
  let source = UnsafeRawBufferPointer(rebasing: bytes[tensor.dataOffset..<(tensor.dataOffset + tensor.byteCount)])
  let chunk = UnsafeMutableRawBufferPointer.allocate(byteCount: tensor.byteCount, alignment: 64)
  defer { chunk.deallocate() }
  var gather = FortranGather(shape: tensor.shape, elementSize: tensor.dtype.byteSize)
  gather.copy(from: source, into: chunk)
  ByteSwap.inPlace(chunk, elementSize: tensor.dtype.byteSize)
}

#if !EMPKIT_LIBFUZZER
  /// Built without libFuzzer: replays the inputs named on the command line.
  @main enum Replay {
    static func main() { FuzzInputReplay.main(fuzz) }
  }
#endif
