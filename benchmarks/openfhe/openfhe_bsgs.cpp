// OpenFHE's side of benchmarks/he_compare.py: n inner products of an encrypted d-vector against a
// plaintext n x d table, the best way OpenFHE's public API offers (CKKS, N = 4096).
//
// Items are packed across slots, two per slot (real and imaginary part), 4096 per ciphertext.
// Score block c = sum_g rot(sum_b diag'[c][g][b] * rot(u, b), g*B): the B baby-step rotations of
// the query are hoisted (EvalFastRotationPrecompute once, EvalFastRotation each) and shared by
// every block; the G - 1 giant-step rotations are per block; the d diagonals of each block are
// pre-encoded plaintexts (EvalMult with plaintext, EvalAdd). B = d (G = 1) has no giant steps.
//
// Usage: openfhe_bsgs TABLE ITEMS DIM BABY_STEPS
//   TABLE is ITEMS x DIM float64 values, row-major, little-endian. Then one command per line on
//   stdin: "score QUERY OUT" (QUERY: DIM float64, a unit vector; OUT: ITEMS float64 scores
//   written after decryption) answers "cpu=... rotations_cpu=... wall=... query_bytes=...
//   response_bytes=...", where cpu/wall are the server's seconds (rotations, products, sums,
//   serialising the response), rotations_cpu the hoisted baby steps' part; "quit" ends. The
//   first line printed describes the parameters and key sizes.
// OMP_NUM_THREADS=1 keeps OpenFHE on one core.

#include <time.h>

#include <complex>
#include <cstdint>
#include <fstream>
#include <iostream>
#include <sstream>
#include <string>
#include <vector>

#include "ciphertext-ser.h"
#include "cryptocontext-ser.h"
#include "key/key-ser.h"
#include "openfhe.h"
#include "scheme/ckksrns/ckksrns-ser.h"

using namespace lbcrypto;

namespace {

constexpr uint32_t kRingDim = 4096;
constexpr uint32_t kSlots = kRingDim / 2;
constexpr uint32_t kItemsPerCiphertext = 2 * kSlots;
// One data prime and no rescaling, like privrec's profile (52 bits there, with a 57-bit special
// prime: 109 bits). OpenFHE's HYBRID key switching adds a 60-bit special prime and counts one
// extra bit, so 128-bit security at N = 4096 (109 bits) leaves 48 bits. OpenFHE encodes query and
// table at one scale, 2^22; pre-scaling the query by 2^4 and the table by 2^-3 gives them 2^26
// and 2^19 (privrec: 2^28 and 2^21): products carry 2^45, 2 bits under q/2 as in privrec (2^49
// in 52 bits), so |score| < 4 in both. The split balances the two errors: the query's noise
// after a rotation (~2^10 per slot, from key switching's rounding) and the table's rounding
// (2^-20 per entry); 2^24 and 2^21 measured a 2.5x larger largest error.
constexpr uint32_t kFirstModBits = 48;
constexpr uint32_t kScaleBits = 22;
constexpr double kQueryFactor = 16.0;  // 2^(26 - 22)
constexpr double kTableFactor = 0.125;  // 2^(19 - 22)
// A single-tower ciphertext at scale degree 2 is decoded by FIXEDMANUAL as if at degree 1
// (CKKSPackedEncoding::Decode, the NativePoly path): the client divides by the second 2^22.
constexpr double kDecodeFactor = 1.0 / (4194304.0 * kQueryFactor * kTableFactor);

double cpu_seconds() {
    timespec t{};
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t);
    return static_cast<double>(t.tv_sec) + 1e-9 * static_cast<double>(t.tv_nsec);
}

double wall_seconds() {
    timespec t{};
    clock_gettime(CLOCK_MONOTONIC, &t);
    return static_cast<double>(t.tv_sec) + 1e-9 * static_cast<double>(t.tv_nsec);
}

std::vector<double> read_doubles(const std::string& path, size_t count) {
    std::vector<double> values(count);
    std::ifstream in(path, std::ios::binary);
    in.read(reinterpret_cast<char*>(values.data()), static_cast<std::streamsize>(count * sizeof(double)));
    if (!in || static_cast<size_t>(in.gcount()) != count * sizeof(double))
        throw std::runtime_error("cannot read " + std::to_string(count) + " doubles from " + path);
    return values;
}

template <typename T>
size_t serialized_bytes(const T& object) {
    std::stringstream stream;
    Serial::Serialize(object, stream, SerType::BINARY);
    return stream.str().size();
}

}  // namespace

int main(int argc, char** argv) {
    if (argc != 5) {
        std::cerr << "usage: openfhe_bsgs TABLE ITEMS DIM BABY_STEPS\n";
        return 2;
    }
    const size_t items = std::stoul(argv[2]);
    const uint32_t dim = static_cast<uint32_t>(std::stoul(argv[3]));
    const uint32_t baby = static_cast<uint32_t>(std::stoul(argv[4]));
    if (dim == 0 || (dim & (dim - 1)) != 0 || dim > kSlots || baby == 0 || dim % baby != 0) {
        std::cerr << "DIM must be a power of two <= " << kSlots << " and BABY_STEPS must divide it\n";
        return 2;
    }
    const uint32_t giant = dim / baby;
    const std::vector<double> table = read_doubles(argv[1], items * dim);

    CCParams<CryptoContextCKKSRNS> parameters;
    parameters.SetMultiplicativeDepth(0);
    parameters.SetFirstModSize(kFirstModBits);
    parameters.SetScalingModSize(kScaleBits);
    parameters.SetScalingTechnique(FIXEDMANUAL);
    parameters.SetKeySwitchTechnique(HYBRID);
    parameters.SetSecurityLevel(HEStd_128_classic);
    parameters.SetRingDim(kRingDim);
    parameters.SetBatchSize(kSlots);
    parameters.SetCKKSDataType(COMPLEX);  // two items per slot; no imaginary-part error check
    CryptoContext<DCRTPoly> cc = GenCryptoContext(parameters);
    cc->Enable(PKE);
    cc->Enable(KEYSWITCH);
    cc->Enable(LEVELEDSHE);
    KeyPair<DCRTPoly> keys = cc->KeyGen();
    std::vector<int32_t> steps;
    for (uint32_t b = 1; b < baby; ++b)
        steps.push_back(static_cast<int32_t>(b));
    for (uint32_t g = 1; g < giant; ++g)
        steps.push_back(static_cast<int32_t>(g * baby));
    cc->EvalRotateKeyGen(keys.secretKey, steps);
    std::stringstream key_stream;
    cc->SerializeEvalAutomorphismKey(key_stream, SerType::BINARY);
    const size_t key_bytes = key_stream.str().size();

    // Pre-encode every block's diagonals, pre-rotated by -g*B for their giant step.
    const size_t blocks = (items + kItemsPerCiphertext - 1) / kItemsPerCiphertext;
    std::vector<std::vector<Plaintext>> diagonals(blocks);
    std::vector<std::complex<double>> values(kSlots);
    const double encode_start = cpu_seconds();
    for (size_t c = 0; c < blocks; ++c) {
        diagonals[c].reserve(dim);
        for (uint32_t g = 0; g < giant; ++g) {
            for (uint32_t b = 0; b < baby; ++b) {
                const uint32_t k = g * baby + b;
                for (uint32_t t = 0; t < kSlots; ++t) {
                    const uint32_t j = (t + kSlots - g * baby) % kSlots;  // diag'[t] = diag[t - gB]
                    const uint32_t column = (j + k) % dim;
                    const size_t real_row = c * kItemsPerCiphertext + j;
                    const size_t imag_row = real_row + kSlots;
                    const double re = real_row < items ? kTableFactor * table[real_row * dim + column] : 0.0;
                    const double im = imag_row < items ? kTableFactor * table[imag_row * dim + column] : 0.0;
                    values[t] = {re, im};
                }
                diagonals[c].push_back(cc->MakeCKKSPackedPlaintext(values));
            }
        }
    }
    const double encode_seconds = cpu_seconds() - encode_start;
    const auto& crypto_parameters = cc->GetCryptoParameters();
    const double log_q = crypto_parameters->GetElementParams()->GetModulus().GetMSB();
    const auto& rns = std::dynamic_pointer_cast<CryptoParametersRNS>(crypto_parameters);
    const double log_p = rns->GetParamsP()->GetModulus().GetMSB();
    std::cout << "ready ring_dim=" << cc->GetRingDimension() << " log_q=" << log_q << " log_p=" << log_p
              << " scale_bits=" << kScaleBits << " security=HEStd_128_classic baby_steps=" << baby
              << " giant_steps=" << giant << " blocks=" << blocks << " key_bytes=" << key_bytes
              << " rotation_keys=" << steps.size() << " encode_cpu=" << encode_seconds << std::endl;

    std::string command;
    while (std::cin >> command) {
        if (command == "quit")
            break;
        if (command != "score") {
            std::cerr << "unknown command " << command << "\n";
            return 2;
        }
        std::string query_path, out_path;
        std::cin >> query_path >> out_path;
        const std::vector<double> query = read_doubles(query_path, dim);
        // The client: u repeated across the slots, encrypted with the secret key (as privrec does:
        // a fresh public-key encryption carries ~sqrt(N) times more noise).
        std::vector<std::complex<double>> repeated(kSlots);
        for (uint32_t t = 0; t < kSlots; ++t)
            repeated[t] = {kQueryFactor * query[t % dim], 0.0};
        Ciphertext<DCRTPoly> encrypted = cc->Encrypt(keys.secretKey, cc->MakeCKKSPackedPlaintext(repeated));
        const size_t query_bytes = serialized_bytes(encrypted);

        // The server.
        const double cpu_start = cpu_seconds();
        const double wall_start = wall_seconds();
        auto digits = cc->EvalFastRotationPrecompute(encrypted);
        std::vector<Ciphertext<DCRTPoly>> rotated(baby);
        rotated[0] = encrypted;
        for (uint32_t b = 1; b < baby; ++b)
            rotated[b] = cc->EvalFastRotation(encrypted, b, 2 * kRingDim, digits);
        const double rotations_cpu = cpu_seconds() - cpu_start;
        std::vector<Ciphertext<DCRTPoly>> responses(blocks);
        for (size_t c = 0; c < blocks; ++c) {
            Ciphertext<DCRTPoly> total;
            for (uint32_t g = 0; g < giant; ++g) {
                Ciphertext<DCRTPoly> inner = cc->EvalMult(rotated[0], diagonals[c][g * baby]);
                for (uint32_t b = 1; b < baby; ++b)
                    cc->EvalAddInPlace(inner, cc->EvalMult(rotated[b], diagonals[c][g * baby + b]));
                if (g == 0) {
                    total = inner;
                } else {
                    cc->EvalAddInPlace(total, cc->EvalRotate(inner, static_cast<int32_t>(g * baby)));
                }
            }
            responses[c] = total;
        }
        std::stringstream response_stream;
        for (const auto& response : responses)
            Serial::Serialize(response, response_stream, SerType::BINARY);
        const double cpu = cpu_seconds() - cpu_start;
        const double wall = wall_seconds() - wall_start;
        const size_t response_bytes = response_stream.str().size();

        // The client again: decrypt and unpack the scores.
        std::vector<double> scores(items);
        for (size_t c = 0; c < blocks; ++c) {
            Plaintext decrypted;
            cc->Decrypt(keys.secretKey, responses[c], &decrypted);
            const std::vector<std::complex<double>> slots = decrypted->GetCKKSPackedValue();
            for (uint32_t t = 0; t < kSlots; ++t) {
                const size_t real_row = c * kItemsPerCiphertext + t;
                if (real_row < items)
                    scores[real_row] = kDecodeFactor * slots[t].real();
                if (real_row + kSlots < items)
                    scores[real_row + kSlots] = kDecodeFactor * slots[t].imag();
            }
        }
        std::ofstream out(out_path, std::ios::binary);
        out.write(reinterpret_cast<const char*>(scores.data()),
                  static_cast<std::streamsize>(scores.size() * sizeof(double)));
        out.close();
        std::cout << "cpu=" << cpu << " rotations_cpu=" << rotations_cpu << " wall=" << wall << " query_bytes=" << query_bytes
                  << " response_bytes=" << response_bytes << std::endl;
    }
    return 0;
}
