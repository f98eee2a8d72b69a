// What one fuzz input does, shared by the libFuzzer targets (fuzz_decode, fuzz_zip) and by
// tests/imaging/tst_fuzzregressions, so that a stored crash input replays through exactly the
// code the fuzzer ran. Production code, production limits (a default Recipe's InputLimits);
// only the sink is ours: it discards the output after checking it.
//
//   runDecode(): the bytes are one input file -> processImage() (InputReader, QImageReader
//                header, pixel limit, decode, scale, crop, flatten, encode), once with each
//                of the two recipes below.
//   runZip():    the bytes are an archive -> InputScanner lists it -> for each item (at most
//                maxItems) InputReader::read(), and processImage() (thumbnail recipe) when
//                the read is ok.
//
// Besides crashes and sanitizer reports (the fuzzer's own oracles), each run checks the
// promises the imaging layer makes, and reports a broken one as a violation (the fuzzers
// abort on it, the test fails):
//   - every outcome is Done, Skipped or a permanent failure with a reason: the input is a
//     stable file, the task is never canceled, so transient failures and Canceled are bugs;
//   - Done and Skipped outcomes carry an ImageResult; a Done output fits the recipe's box, and
//     the encoded bytes are an image of exactly the size processImage() reserved;
//   - every Write reservation ends in exactly one commit() or release();
//   - every item and output path the scanner and sink see is safe to join under an output
//     folder (relative, no "..", no '\', no ':', no empty parts);
//   - a failed read says why and is never transient; an ok read stays within the entry limit.
#pragma once

#include <QBuffer>
#include <QByteArray>
#include <QFile>
#include <QHash>
#include <QImageReader>
#include <QMutex>
#include <QRegularExpression>
#include <QSize>
#include <QString>
#include <QStringList>
#include <atomic>
#include <codec.h>
#include <imagejob.h>
#include <inputreader.h>
#include <inputscanner.h>
#include <pooltypes.h>
#include <recipe.h>
#include <sink.h>
#include <utility>

namespace sluice::fuzz {

// The recipes fuzz inputs run with, both with the default (production) limits. The thumbnail:
// fit in 64x64, as JPEG (so alpha is flattened, and JPEGs decode at reduced scale).
inline Recipe fuzzRecipe()
{
    Recipe recipe;
    recipe.targetSize = QSize(64, 64);
    recipe.mode = ResizeMode::Fit;
    recipe.format = OutputFormat::Jpeg;
    recipe.quality = 85;
    return recipe;
}

// The crop: fill 48x32 and crop, keeping the input's format (PNG, WebP, BMP, TIFF or JPEG out,
// progressive), for runDecode() only.
inline Recipe fuzzCropRecipe()
{
    Recipe recipe;
    recipe.targetSize = QSize(48, 32);
    recipe.mode = ResizeMode::Fill;
    recipe.format = OutputFormat::Keep;
    recipe.quality = 50;
    recipe.progressive = true;
    return recipe;
}

// Relative, '/'-separated, no empty/"."/".." parts, no '\' or ':' and no control characters:
// joining it under an output folder cannot leave that folder.
inline bool isSafeRelativePath(const QString &path)
{
    if (path.isEmpty() || path.startsWith(QLatin1Char('/')))
        return false;
    for (QChar c : path) {
        if (c == QLatin1Char('\\') || c == QLatin1Char(':') || c.unicode() < 0x20 ||
            c.unicode() == 0x7f)
            return false;
    }
    for (const QString &part : path.split(QLatin1Char('/'))) {
        if (part.isEmpty() || part == u"." || part == u"..")
            return false;
    }
    return true;
}

struct RunReport
{
    int items = 0; // items run (runDecode: 1); a failed read in runZip counts as one
    int done = 0;
    int skipped = 0;
    int failed = 0;       // permanent failures (read failures included)
    QStringList outcomes; // one line per item, for a test's failure message
    QStringList violations;
    // One line per item naming the kind of outcome without the variable parts (numbers, quoted
    // names, MIME types of non-images): "failed|corrupt or truncated gif data: Unable to read
    // image data". The fuzzers turn these into coverage features, so that a new way for Qt or a
    // codec library (which are not instrumented) to fail counts as progress.
    QStringList signatures;
};

// `message` without its numbers and quoted parts, so that the same failure looks the same. The
// quoted part runs from the first quote to the last: entry names may hold quotes themselves.
inline QString messageShape(QString message)
{
    static const QRegularExpression variable(QStringLiteral("\".*\"|[0-9]+"),
                                             QRegularExpression::DotMatchesEverythingOption);
    message.remove(variable);
    return message;
}

// Accepts every output, checks it, and throws it away. Thread-safe like a real sink.
class DiscardSink final : public Sink
{
public:
    explicit DiscardSink(const Recipe &recipe)
        : m_recipe(recipe)
    {}

    Reservation reserve(const OutputRequest &request) override
    {
        Reservation reservation;
        reservation.action = Reservation::Action::Write;
        reservation.path = outputRelativePath(m_recipe.nameTemplate, m_recipe.mirrorTree, request);
        QMutexLocker lock(&m_mutex);
        if (!isSafeRelativePath(reservation.path))
            m_violations << QStringLiteral("unsafe output path \"%1\"").arg(reservation.path);
        if (request.outputSize.isEmpty())
            m_violations
                << QStringLiteral("empty output size reserved for \"%1\"").arg(reservation.path);
        reservation.id = ++m_nextId;
        m_open.insert(reservation.id, request.outputSize);
        return reservation;
    }

    CommitResult commit(const Reservation &reservation, const QByteArray &data,
                        const TaskContext &) override
    {
        QSize planned;
        {
            QMutexLocker lock(&m_mutex);
            if (!m_open.contains(reservation.id)) {
                m_violations << QStringLiteral("commit() of reservation %1, which is not open")
                                    .arg(reservation.id);
            }
            planned = m_open.take(reservation.id);
        }
        // The output must be an image of the size that was reserved (header only: cheap), read
        // by the codecs Sluice reads with (Qt has no AVIF or JPEG XL reader here).
        QSize written(-1, -1);
        if (std::unique_ptr<ImageDecoder> decoder = CodecRegistry::builtIn().decoderFor(data))
            written = decoder->probe().orientedSize();
        if (data.isEmpty() || written != planned) {
            QMutexLocker lock(&m_mutex);
            m_violations << QStringLiteral("committed %1 bytes of a %2x%3 image, %4x%5 reserved")
                                .arg(data.size())
                                .arg(written.width())
                                .arg(written.height())
                                .arg(planned.width())
                                .arg(planned.height());
        }
        {
            QMutexLocker lock(&m_mutex);
            m_lastOutput = data;
        }
        CommitResult result;
        result.ok = true;
        result.path = reservation.path;
        result.bytes = data.size();
        return result;
    }

    void release(const Reservation &reservation) override
    {
        QMutexLocker lock(&m_mutex);
        if (m_open.remove(reservation.id) != 1)
            m_violations << QStringLiteral("release() of reservation %1, which is not open")
                                .arg(reservation.id);
    }

    int openReservations() const
    {
        QMutexLocker lock(&m_mutex);
        return int(m_open.size());
    }
    // The bytes of the last commit() (for tests that look at the pixels).
    QByteArray lastOutput() const
    {
        QMutexLocker lock(&m_mutex);
        return m_lastOutput;
    }
    QStringList takeViolations()
    {
        QMutexLocker lock(&m_mutex);
        return std::exchange(m_violations, {});
    }

private:
    Recipe m_recipe;
    mutable QMutex m_mutex;
    quint64 m_nextId = 0;
    QHash<quint64, QSize> m_open;
    QStringList m_violations;
    QByteArray m_lastOutput;
};

// Runs processImage() on one item and checks its outcome against the promises listed above.
inline void processAndCheck(const InputItem &item, const Recipe &recipe, DiscardSink &sink,
                            RunReport &report)
{
    std::atomic<bool> neverCanceled{false};
    const TaskContext ctx(&neverCanceled, 1, 1, 1);
    const TaskOutcome outcome = processImage(item, recipe, sink, ctx);
    ++report.items;
    const QString who = item.displayName();
    auto violation = [&](const QString &what) {
        report.violations << QStringLiteral("%1: %2").arg(who, what);
    };
    switch (outcome.kind) {
    case OutcomeKind::Done: {
        ++report.done;
        if (!outcome.detail.canConvert<ImageResult>()) {
            violation(QStringLiteral("Done without an ImageResult"));
            break;
        }
        const auto result = outcome.detail.value<ImageResult>();
        const QSize box = recipe.targetSize;
        if (result.skip != ImageResult::Skip::None || result.outputBytes <= 0 ||
            result.outputSize.isEmpty() || result.outputSize.width() > box.width() ||
            result.outputSize.height() > box.height())
            violation(QStringLiteral("Done with a bad result: skip %1, %2 bytes, %3x%4")
                          .arg(int(result.skip))
                          .arg(result.outputBytes)
                          .arg(result.outputSize.width())
                          .arg(result.outputSize.height()));
        report.signatures << QStringLiteral("done|%1|%2")
                                 .arg(QString::fromLatin1(result.inputFormat))
                                 .arg(result.inputSize == result.outputSize);
        report.outcomes << QStringLiteral("%1: done %2x%3 (%4)")
                               .arg(who)
                               .arg(result.outputSize.width())
                               .arg(result.outputSize.height())
                               .arg(QString::fromLatin1(result.inputFormat));
        break;
    }
    case OutcomeKind::Skipped:
        ++report.skipped;
        if (!outcome.detail.canConvert<ImageResult>() ||
            outcome.detail.value<ImageResult>().skip == ImageResult::Skip::None)
            violation(QStringLiteral("Skipped without a reason in its ImageResult"));
        // Not the MIME type: which non-image it was is of no interest.
        report.signatures
            << QStringLiteral("skipped|%1").arg(int(outcome.detail.value<ImageResult>().skip));
        report.outcomes << QStringLiteral("%1: skipped: %2").arg(who, outcome.message);
        break;
    case OutcomeKind::PermanentFailure:
        ++report.failed;
        if (outcome.message.isEmpty())
            violation(QStringLiteral("permanent failure without a reason"));
        report.signatures << QStringLiteral("failed|") + messageShape(outcome.message);
        report.outcomes << QStringLiteral("%1: failed: %2").arg(who, outcome.message);
        break;
    case OutcomeKind::TransientFailure:
        violation(QStringLiteral("transient failure on a stable input: %1").arg(outcome.message));
        break;
    case OutcomeKind::Canceled:
        violation(QStringLiteral("canceled, though nothing canceled it"));
        break;
    default:
        violation(QStringLiteral("unexpected outcome kind %1: %2")
                      .arg(int(outcome.kind))
                      .arg(outcome.message));
        break;
    }
    if (const int open = sink.openReservations(); open != 0)
        violation(QStringLiteral("%1 reservation(s) neither committed nor released").arg(open));
    for (const QString &v : sink.takeViolations())
        violation(v);
}

inline bool writeScratchFile(const QString &path, const QByteArray &bytes, RunReport &report)
{
    QFile file(path);
    if (!file.open(QIODevice::WriteOnly | QIODevice::Truncate) ||
        file.write(bytes) != bytes.size()) {
        report.violations
            << QStringLiteral("harness: cannot write %1: %2").arg(path, file.errorString());
        return false;
    }
    return true;
}

// The bytes as one input file, written to `scratchDir`.
inline constexpr int DecodeRecipes = 2; // items in a runDecode() report

// The bytes as one input file, written to `scratchDir`, run with each recipe.
inline RunReport runDecode(const QByteArray &bytes, const QString &scratchDir)
{
    RunReport report;
    const QString path = scratchDir + QStringLiteral("/input");
    if (!writeScratchFile(path, bytes, report))
        return report;
    for (const Recipe &recipe : {fuzzRecipe(), fuzzCropRecipe()}) {
        DiscardSink sink(recipe);
        processAndCheck(InputItem::fromFile(path, QStringLiteral("input")), recipe, sink, report);
    }
    QFile::remove(path);
    return report;
}

// The bytes as an archive (or any file: the scanner decides), written to `scratchDir`.
inline RunReport runZip(const QByteArray &bytes, const QString &scratchDir, int maxItems = 64)
{
    RunReport report;
    const Recipe recipe = fuzzRecipe();
    const QString path = scratchDir + QStringLiteral("/input.zip");
    if (!writeScratchFile(path, bytes, report))
        return report;
    DiscardSink sink(recipe);
    const InputReader reader(recipe.limits);
    InputScanner scanner({path}, recipe.limits);
    for (int n = 0; n < maxItems; ++n) {
        const std::optional<InputItem> item = scanner.next();
        if (!item)
            break;
        const QString who = item->displayName();
        if (item->isRejected()) {
            // Reported as a permanent failure with the scanner's reason, never read.
            if (item->rejection.isEmpty())
                report.violations << QStringLiteral("%1: rejected without a reason").arg(who);
            processAndCheck(*item, recipe, sink, report);
            continue;
        }
        if (item->isArchiveEntry()) {
            if (!isSafeRelativePath(item->relativePath) ||
                !item->relativePath.startsWith(QLatin1String("input/")))
                report.violations << QStringLiteral("%1: unsafe relative path \"%2\"")
                                         .arg(who, item->relativePath);
            if (item->entryName.isEmpty() || !item->archiveBudget)
                report.violations
                    << QStringLiteral("%1: entry without a name or an archive budget").arg(who);
        }
        const InputData data = reader.read(*item);
        if (!data.ok) {
            if (data.error.isEmpty() || data.transient)
                report.violations << QStringLiteral("%1: read failed %2 (\"%3\")")
                                         .arg(who,
                                              data.transient ? QStringLiteral("transiently")
                                                             : QStringLiteral("without a reason"),
                                              data.error);
            ++report.items;
            data.notAnImage ? ++report.skipped : ++report.failed;
            report.signatures << (data.notAnImage
                                      ? QStringLiteral("read|not an image")
                                      : QStringLiteral("read|") + messageShape(data.error));
            report.outcomes << QStringLiteral("%1: read: %2").arg(who, data.error);
            continue;
        }
        if (recipe.limits.maxEntryBytes > 0 && data.bytes.size() > recipe.limits.maxEntryBytes)
            report.violations << QStringLiteral("%1: read %2 bytes, over the entry limit")
                                     .arg(who)
                                     .arg(data.bytes.size());
        processAndCheck(*item, recipe, sink, report);
    }
    QFile::remove(path);
    return report;
}

} // namespace sluice::fuzz
