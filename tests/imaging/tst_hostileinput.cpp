// Hostile and broken input, end to end: InputScanner -> processImage() (InputReader inside) ->
// FolderSink / ZipSink, driven the way src/cli/feeder.cpp drives them, one item at a time on
// this thread. Every input is generated here at runtime inside a QTemporaryDir: damaged images,
// hand-written GIFs and image headers, and ZIP archives written byte by byte (QuaZip refuses
// to write most of the names that matter here). Each case asserts the outcome a user sees:
// the status, a reason a person understands, what exists in the output folder and that
// nothing exists anywhere else.
#include "testimages.h"

#include <QCryptographicHash>
#include <QDirIterator>
#include <QImageReader>
#include <QRandomGenerator>
#include <QScopeGuard>
#include <QSet>
#include <QTemporaryDir>
#include <QtTest>
#include <fcntl.h>
#include <foldersink.h>
#include <imagejob.h>
#include <inputreader.h>
#include <inputscanner.h>
#include <sys/mount.h>
#include <unistd.h>
#include <zipsink.h>

using namespace sluice;
using namespace testimages;

namespace {

// --- Bytes ------------------------------------------------------------------------------------

void put16(QByteArray &out, quint32 v)
{
    out.append(char(v & 0xff));
    out.append(char((v >> 8) & 0xff));
}

void put32(QByteArray &out, quint32 v)
{
    put16(out, v & 0xffff);
    put16(out, v >> 16);
}

void put64(QByteArray &out, quint64 v)
{
    put32(out, quint32(v));
    put32(out, quint32(v >> 32));
}

quint32 crcOf(const QByteArray &data)
{
    QuaCrc32 crc;
    return crc.calculate(data);
}

// Raw deflate (what a ZIP entry holds): qCompress() minus its 4-byte length, 2-byte zlib header
// and 4-byte Adler-32 trailer.
QByteArray rawDeflate(const QByteArray &data)
{
    const QByteArray z = qCompress(data, 9);
    return z.mid(6, z.size() - 10);
}

// PNG signature followed by zeros: an image by its first bytes, so the reader keeps inflating
// (a plain run of zeros would be dropped after the first chunk as "not an image").
QByteArray pngLookingZeros(qsizetype size)
{
    QByteArray data(size, '\0');
    data.replace(0, 8, QByteArrayLiteral("\x89PNG\r\n\x1a\n"));
    return data;
}

// --- A ZIP writer that writes what it is told -------------------------------------------------

// How ZipBuilder::add() writes one entry.
struct ZipOptions
{
    bool deflate = false;
    qint64 declaredSize = -1; // uncompressed size written into both headers; -1: the truth
    qint64 declaredCrc = -1;  // -1: the CRC of the content
    quint32 unixMode = 0100644;
};

class ZipBuilder
{
public:
    using Options = ZipOptions;

    void reserve(qsizetype entries, qsizetype bytes)
    {
        m_out.reserve(bytes);
        m_records.reserve(entries);
    }

    void add(const QByteArray &name, const QByteArray &content, const Options &options = {})
    {
        const QByteArray stored = options.deflate ? rawDeflate(content) : content;
        Record r;
        r.name = name;
        r.method = options.deflate ? 8 : 0;
        r.crc = options.declaredCrc >= 0 ? quint32(options.declaredCrc) : crcOf(content);
        r.compressedSize = quint32(stored.size());
        r.uncompressedSize =
            quint32(options.declaredSize >= 0 ? options.declaredSize : content.size());
        r.externalAttr = options.unixMode << 16;
        r.localOffset = quint32(m_out.size());
        put32(m_out, 0x04034b50);
        put16(m_out, 20); // version needed
        put16(m_out, Utf8Flag);
        put16(m_out, r.method);
        put16(m_out, DosTime);
        put16(m_out, DosDate);
        put32(m_out, r.crc);
        put32(m_out, r.compressedSize);
        put32(m_out, r.uncompressedSize);
        put16(m_out, quint32(name.size()));
        put16(m_out, 0); // extra
        m_out += name;
        m_out += stored;
        m_records.push_back(r);
    }

    // One more central-directory record for the entry added last, under another name of the
    // same length, pointing at the same local header and data: an overlapping-entries bomb.
    void alias(const QByteArray &name)
    {
        Record r = m_records.last();
        Q_ASSERT(r.name.size() == name.size());
        r.name = name;
        m_records.push_back(r);
    }

    qsizetype recordCount() const { return m_records.size(); }

    // The archive. `corruptRecord` >= 0: that central-directory record gets a bad signature.
    // Over 65,534 records the ZIP64 end records are written, as real tools do. The offsets of
    // each record's name are returned in `nameOffsets` when given.
    QByteArray finish(qsizetype corruptRecord = -1, QList<qsizetype> *nameOffsets = nullptr)
    {
        QByteArray out = m_out;
        const quint64 directoryStart = quint64(out.size());
        for (qsizetype i = 0; i < m_records.size(); ++i) {
            const Record &r = m_records.at(i);
            if (i == corruptRecord)
                out += QByteArrayLiteral("PK\x09\x09");
            else
                put32(out, 0x02014b50);
            put16(out, (3 << 8) | 20); // made by Unix, so the mode bits count
            put16(out, 20);
            put16(out, Utf8Flag);
            put16(out, r.method);
            put16(out, DosTime);
            put16(out, DosDate);
            put32(out, r.crc);
            put32(out, r.compressedSize);
            put32(out, r.uncompressedSize);
            put16(out, quint32(r.name.size()));
            put16(out, 0); // extra
            put16(out, 0); // comment
            put16(out, 0); // disk
            put16(out, 0); // internal attributes
            put32(out, r.externalAttr);
            put32(out, r.localOffset);
            if (nameOffsets)
                nameOffsets->push_back(out.size());
            out += r.name;
        }
        const quint64 directorySize = quint64(out.size()) - directoryStart;
        const quint64 count = quint64(m_records.size());
        const bool zip64 = count > 0xfffe;
        if (zip64) {
            const quint64 recordStart = quint64(out.size());
            put32(out, 0x06064b50);
            put64(out, 44);
            put16(out, 45);
            put16(out, 45);
            put32(out, 0);
            put32(out, 0);
            put64(out, count);
            put64(out, count);
            put64(out, directorySize);
            put64(out, directoryStart);
            put32(out, 0x07064b50); // locator
            put32(out, 0);
            put64(out, recordStart);
            put32(out, 1);
        }
        put32(out, 0x06054b50);
        put16(out, 0);
        put16(out, 0);
        put16(out, zip64 ? 0xffff : quint32(count));
        put16(out, zip64 ? 0xffff : quint32(count));
        put32(out, quint32(directorySize));
        put32(out, quint32(directoryStart));
        put16(out, 0);
        return out;
    }

private:
    static constexpr quint32 Utf8Flag = 0x0800;
    static constexpr quint32 DosTime = 0;
    static constexpr quint32 DosDate = ((2024 - 1980) << 9) | (1 << 5) | 1;

    struct Record
    {
        QByteArray name;
        quint32 method = 0;
        quint32 crc = 0;
        quint32 compressedSize = 0;
        quint32 uncompressedSize = 0;
        quint32 externalAttr = 0;
        quint32 localOffset = 0;
    };
    QByteArray m_out;
    QList<Record> m_records;
};

// --- GIF ------------------------------------------------------------------------------------

// The global palette of every GIF made here, in the order of testimages::quadrants().
const QRgb GifPalette[4] = {qRgb(255, 0, 0), qRgb(0, 255, 0), qRgb(0, 0, 255), qRgb(255, 255, 0)};

// Palette indices of quadrants(size): red, green / blue, yellow.
QByteArray quadrantIndices(QSize size)
{
    QByteArray indices;
    indices.reserve(size.width() * size.height());
    const int hw = size.width() / 2, hh = size.height() / 2;
    for (int y = 0; y < size.height(); ++y) {
        for (int x = 0; x < size.width(); ++x)
            indices += char((y < hh ? 0 : 2) + (x < hw ? 0 : 1));
    }
    return indices;
}

// Image data of one frame, LZW-coded "uncompressed": minimum code size 2 (clear 4, end 5), a
// clear code before every two pixels, so the code width never leaves 3 bits.
QByteArray gifImageData(const QByteArray &indices)
{
    QByteArray packed;
    quint32 accumulator = 0;
    int bits = 0;
    auto code = [&](int value) {
        accumulator |= quint32(value) << bits;
        bits += 3;
        while (bits >= 8) {
            packed += char(accumulator & 0xff);
            accumulator >>= 8;
            bits -= 8;
        }
    };
    for (qsizetype i = 0; i < indices.size(); i += 2) {
        code(4);
        code(indices.at(i));
        if (i + 1 < indices.size())
            code(indices.at(i + 1));
    }
    code(5);
    if (bits > 0)
        packed += char(accumulator & 0xff);
    QByteArray out(1, char(2));
    for (qsizetype i = 0; i < packed.size(); i += 255) {
        const QByteArray block = packed.mid(i, 255);
        out += char(block.size());
        out += block;
    }
    out += char(0);
    return out;
}

struct GifFrame
{
    QRect rect;
    QByteArray indices; // rect.width() * rect.height(); empty: descriptor only, no image data
};

QByteArray gif(QSize screen, const QList<GifFrame> &frames, bool trailer = true)
{
    QByteArray out = QByteArrayLiteral("GIF89a");
    put16(out, quint32(screen.width()));
    put16(out, quint32(screen.height()));
    out += char(0x81); // global palette of 4 colours
    out += char(0);    // background
    out += char(0);    // aspect
    for (QRgb c : GifPalette) {
        out += char(qRed(c));
        out += char(qGreen(c));
        out += char(qBlue(c));
    }
    if (frames.size() > 1) // NETSCAPE2.0: loop forever, as animations do
        out += QByteArrayLiteral("\x21\xff\x0bNETSCAPE2.0\x03\x01\x00\x00\x00");
    for (const GifFrame &frame : frames) {
        out += QByteArrayLiteral("\x21\xf9\x04\x04\x0a\x00\x00\x00"); // 100 ms, keep
        out += char(0x2c);
        put16(out, quint32(frame.rect.x()));
        put16(out, quint32(frame.rect.y()));
        put16(out, quint32(frame.rect.width()));
        put16(out, quint32(frame.rect.height()));
        out += char(0);
        if (!frame.indices.isEmpty())
            out += gifImageData(frame.indices);
    }
    if (trailer)
        out += char(0x3b);
    return out;
}

QByteArray quadrantGif(QSize size)
{
    return gif(size, {{QRect(QPoint(0, 0), size), quadrantIndices(size)}});
}

// --- Headers that lie ---------------------------------------------------------------------------

// A real JPEG whose start-of-frame claims width x height (the segments walked, not searched).
QByteArray jpegClaiming(int width, int height)
{
    QByteArray jpeg = encode(quadrants(QSize(64, 48)), "jpeg");
    qsizetype at = 2; // after SOI
    while (at + 9 < jpeg.size() && uchar(jpeg.at(at)) == 0xff) {
        const uchar marker = uchar(jpeg.at(at + 1));
        const int length = (uchar(jpeg.at(at + 2)) << 8) | uchar(jpeg.at(at + 3));
        if (marker >= 0xc0 && marker <= 0xcf && marker != 0xc4 && marker != 0xc8 &&
            marker != 0xcc) {
            jpeg[at + 5] = char(height >> 8);
            jpeg[at + 6] = char(height & 0xff);
            jpeg[at + 7] = char(width >> 8);
            jpeg[at + 8] = char(width & 0xff);
            return jpeg;
        }
        at += 2 + length;
    }
    return {};
}

// A real lossy WebP whose VP8 frame header claims width x height (14 bits each, at most 16383).
QByteArray webpClaiming(int width, int height)
{
    QByteArray webp = encode(quadrants(QSize(64, 48)), "webp", 80);
    if (webp.mid(12, 4) != "VP8 " || webp.mid(23, 3) != QByteArrayLiteral("\x9d\x01\x2a"))
        return {};
    webp[26] = char(width & 0xff);
    webp[27] = char((width >> 8) & 0x3f);
    webp[28] = char(height & 0xff);
    webp[29] = char((height >> 8) & 0x3f);
    return webp;
}

// --- Observations -------------------------------------------------------------------------------

const char *kindName(OutcomeKind kind)
{
    switch (kind) {
    case OutcomeKind::Done:
        return "Done";
    case OutcomeKind::Skipped:
        return "Skipped";
    case OutcomeKind::TransientFailure:
        return "TransientFailure";
    case OutcomeKind::PermanentFailure:
        return "PermanentFailure";
    case OutcomeKind::Canceled:
        return "Canceled";
    case OutcomeKind::Blocked:
        return "Blocked";
    }
    return "?";
}

struct Processed
{
    InputItem item;
    TaskOutcome outcome;

    ImageResult result() const { return outcome.detail.value<ImageResult>(); }
    bool is(OutcomeKind kind) const { return outcome.kind == kind; }
    QByteArray describe() const
    {
        return (item.relativePath + QStringLiteral(": ") + QLatin1String(kindName(outcome.kind)) +
                QStringLiteral(" \"") + outcome.message + QStringLiteral("\""))
            .toUtf8();
    }
};

// What src/cli/feeder.cpp does, without the pool: scan lazily, run one task per item.
QList<Processed> process(const QStringList &inputs, const Recipe &recipe, Sink &sink,
                         const QStringList &excluded, InputScanner::Counters *counters = nullptr,
                         const JobOptions &options = {})
{
    InputScanner scanner(inputs, recipe.limits);
    scanner.setExcludedPaths(excluded);
    QList<Processed> all;
    while (const std::optional<InputItem> item = scanner.next()) {
        FakeTask task;
        all.push_back({*item, processImage(*item, recipe, sink, task.ctx, options)});
    }
    if (counters)
        *counters = scanner.counters();
    return all;
}

QList<Processed> processIntoFolder(const QStringList &inputs, const Recipe &recipe,
                                   const QString &output,
                                   InputScanner::Counters *counters = nullptr,
                                   const JobOptions &options = {})
{
    FolderSink sink(output, recipe);
    return process(inputs, recipe, sink, {output}, counters, options);
}

const Processed *findItem(const QList<Processed> &all, const QString &relativePath)
{
    for (const Processed &p : all) {
        if (p.item.relativePath == relativePath)
            return &p;
    }
    return nullptr;
}

// Peak resident set of this process, in kB (0 when /proc is not there).
qint64 peakRssKb()
{
    QFile status(QStringLiteral("/proc/self/status"));
    if (!status.open(QIODevice::ReadOnly))
        return 0;
    for (const QByteArray &line : status.readAll().split('\n')) {
        if (line.startsWith("VmHWM:"))
            return line.mid(6).trimmed().split(' ').first().toLongLong();
    }
    return 0;
}

// A file named by raw bytes (not necessarily UTF-8), the way another program could make it.
bool writeRawNamed(const QByteArray &dir, const QByteArray &name, const QByteArray &bytes)
{
    const QByteArray path = dir + '/' + name;
    const int fd = ::open(path.constData(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    if (fd < 0)
        return false;
    const bool ok = ::write(fd, bytes.constData(), size_t(bytes.size())) == bytes.size();
    ::close(fd);
    return ok;
}

QMap<QString, QByteArray> hashes(const QString &dir)
{
    QMap<QString, QByteArray> all;
    for (const QString &file : listFiles(dir)) {
        QFile f(dir + QLatin1Char('/') + file);
        if (f.open(QIODevice::ReadOnly))
            all.insert(file, QCryptographicHash::hash(f.readAll(), QCryptographicHash::Sha1));
    }
    return all;
}

bool containsSymlink(const QString &dir)
{
    QDirIterator it(dir, QDir::AllEntries | QDir::System | QDir::Hidden | QDir::NoDotAndDotDot,
                    QDirIterator::Subdirectories);
    while (it.hasNext()) {
        it.next();
        if (it.fileInfo().isSymLink())
            return true;
    }
    return false;
}

} // namespace

class tst_HostileInput : public QObject
{
    Q_OBJECT

private:
    QString path(const QString &relative) const { return m_dir->filePath(relative); }
    QString in() const { return path(QStringLiteral("in")); }
    QString out() const { return path(QStringLiteral("out")); }
    // Every file the test root gained since `before`, outside `allowedPrefix` (relative).
    QStringList newFilesOutside(const QStringList &before, const QString &allowedPrefix) const
    {
        const QSet<QString> old(before.begin(), before.end());
        QStringList outside;
        for (const QString &file : listFiles(m_dir->path())) {
            if (!old.contains(file) && !file.startsWith(allowedPrefix + QLatin1Char('/')))
                outside << file;
        }
        return outside;
    }

    std::unique_ptr<QTemporaryDir> m_dir;

private slots:
    void initTestCase();
    void init();

    // 1. Damaged and misnamed files
    void brokenImageFiles_data();
    void brokenImageFiles();
    void pngNamedJpgIsDetectedByContent();
    void textNamedPngIsSkippedAndCounted();
    // 2. Headers over the pixel limit
    void oversizedHeaderRejectedBeforeDecoding_data();
    void oversizedHeaderRejectedBeforeDecoding();
    void pixelLimitBoundary_data();
    void pixelLimitBoundary();
    // 3. Thousands of frames
    void animatedGifUsesFirstFrameOnly();
    // 4. Unsafe ZIP entries
    void unsafeZipEntries_data();
    void unsafeZipEntries();
    void unsafeZipEntriesIntoZipOutput();
    // 5. ZIP bombs and huge archives
    void entryInflatingPastItsHeader_data();
    void entryInflatingPastItsHeader();
    void compressionRatioBomb();
    void entryByteCapOnInflatedBytes();
    void overlappingEntriesBomb_data();
    void overlappingEntriesBomb();
    void entryCountCap_data();
    void entryCountCap();
    void hundredThousandEntriesAreListedLazily();
    void overDefaultEntryCapIsRejectedAtOnce();
    void damagedDirectoryIsReported();
    void nestedZipIsNotExpanded();
    // 6. Output naming and placement
    void twoInputsOneOutputName();
    void outputFolderIsTheInput();
    void outputFolderInsideInput();
    void zipOutputInsideInput();
    void unwritableOutput_data();
    void unwritableOutput();
    // 7. Names
    void awkwardFileNames_data();
    void awkwardFileNames();
    void unicodeEntryNamesInBothSinks();
};

void tst_HostileInput::initTestCase()
{
    applyProcessLimits(Recipe()); // as every entry point's main() does
}

void tst_HostileInput::init()
{
    m_dir = std::make_unique<QTemporaryDir>();
    QVERIFY(m_dir->isValid());
}

// --- 1 ----------------------------------------------------------------------------------------

void tst_HostileInput::brokenImageFiles_data()
{
    QTest::addColumn<QString>("fileName");
    QTest::addColumn<QByteArray>("bytes");
    QTest::addColumn<bool>("mayDecode"); // Done is acceptable (decoders shrug some flips off)
    QTest::addColumn<QString>("reason"); // for a failure: a fragment of the message; "" any

    const QImage source = quadrants(QSize(64, 48));
    const struct
    {
        const char *ext;
        QByteArray bytes;
        bool lastByteMatters; // the final byte is image data (or the only end marker)
    } formats[] = {
        {"jpg", encode(source, "jpeg"), true},
        {"png", encode(source, "png"), false},      // the last byte is IEND's CRC
        {"gif", quadrantGif(QSize(64, 48)), false}, // the last byte is the trailer
        {"webp", encode(source, "webp", 80), true},
    };
    quint32 seed = 20240611;
    for (const auto &f : formats) {
        const QString name = QStringLiteral("x.") + QLatin1String(f.ext);
        const QByteArray &b = f.bytes;
        QVERIFY(b.size() > 100);
        QTest::addRow("%s zero bytes", f.ext) << name << QByteArray() << false << "empty";
        QTest::addRow("%s header only", f.ext) << name << b.left(16) << false << "";
        QTest::addRow("%s cut in half", f.ext) << name << b.left(b.size() / 2) << false << "";
        QTest::addRow("%s last byte missing", f.ext)
            << name << b.left(b.size() - 1) << !f.lastByteMatters << "";
        // Deterministic flips past the signatures (a flipped signature is simply "not an
        // image"): several positions, one bit each.
        QRandomGenerator random(seed++);
        for (int i = 0; i < 6; ++i) {
            const int at = int(random.bounded(16, int(b.size())));
            const int bit = int(random.bounded(8));
            QByteArray flipped = b;
            flipped[at] = char(flipped.at(at) ^ (1 << bit));
            QTest::addRow("%s bit %d of byte %d flipped", f.ext, bit, at)
                << name << flipped << true << "";
        }
    }
}

void tst_HostileInput::brokenImageFiles()
{
    QFETCH(QString, fileName);
    QFETCH(QByteArray, bytes);
    QFETCH(bool, mayDecode);
    QFETCH(QString, reason);
    QVERIFY(!writeFile(in() + QLatin1Char('/') + fileName, bytes).isEmpty());

    const QList<Processed> all = processIntoFolder({in()}, Recipe(), out());
    QCOMPARE(all.size(), 1);
    const Processed &p = all.first();
    QVERIFY2(p.is(OutcomeKind::Done) || p.is(OutcomeKind::PermanentFailure), p.describe());
    if (p.is(OutcomeKind::Done)) {
        QVERIFY2(mayDecode, p.describe());
        const QString output = p.result().outputPath;
        QVERIFY(output.startsWith(out() + QLatin1Char('/')));
        QVERIFY(!QImage(output).isNull());
        QCOMPARE(listFiles(out()), QStringList{output.mid(out().size() + 1)});
        return;
    }
    // A person must learn which kind of damage it is, not just "error".
    QVERIFY2(p.outcome.message.size() > 10, p.describe());
    if (!reason.isEmpty())
        QVERIFY2(p.outcome.message.contains(reason, Qt::CaseInsensitive), p.describe());
    QCOMPARE(listFiles(out()), QStringList()); // no partial or temporary file either
}

void tst_HostileInput::pngNamedJpgIsDetectedByContent()
{
    writeFile(in() + QStringLiteral("/really-a-png.jpg"), encode(quadrants(QSize(64, 48)), "png"));
    const QList<Processed> all = processIntoFolder({in()}, Recipe(), out());
    QCOMPARE(all.size(), 1);
    QVERIFY2(all.first().is(OutcomeKind::Done), all.first().describe());
    const ImageResult result = all.first().result();
    QCOMPARE(result.inputFormat, QByteArray("png"));
    QCOMPARE(result.outputFormat, QByteArray("png")); // Keep keeps what it is, not its name
    QCOMPARE(result.outputPath, out() + QStringLiteral("/in/really-a-png.png"));
    const QImage output(result.outputPath);
    QCOMPARE(output.size(), QSize(64, 48));
    QVERIFY(closeColor(output.pixelColor(5, 5), Qt::red));
    QVERIFY(closeColor(output.pixelColor(58, 42), Qt::yellow));
}

void tst_HostileInput::textNamedPngIsSkippedAndCounted()
{
    writeFile(in() + QStringLiteral("/notes.png"),
              "These are not the pixels you are looking for.\n");
    writeImage(in() + QStringLiteral("/real.png"), QSize(16, 16), "png");
    InputScanner::Counters counters;
    const QList<Processed> all = processIntoFolder({in()}, Recipe(), out(), &counters);
    QCOMPARE(all.size(), 2);
    QCOMPARE(counters.files, 2); // counted like any input
    const Processed *text = findItem(all, QStringLiteral("in/notes.png"));
    QVERIFY(text);
    QVERIFY2(text->is(OutcomeKind::Skipped), text->describe());
    QCOMPARE(text->result().skip, ImageResult::Skip::NotAnImage);
    QCOMPARE(text->outcome.message, QStringLiteral("not an image (text/plain)"));
    QCOMPARE(listFiles(out()), QStringList{QStringLiteral("in/real.png")});
}

// --- 2 ----------------------------------------------------------------------------------------

void tst_HostileInput::oversizedHeaderRejectedBeforeDecoding_data()
{
    QTest::addColumn<QString>("fileName");
    QTest::addColumn<QByteArray>("bytes");
    QTest::addColumn<QString>("size");

    QTest::newRow("png IHDR 60000x60000")
        << "huge.png" << pngHeaderOnly(60000, 60000) << QStringLiteral("60000×60000");
    const QByteArray jpeg = jpegClaiming(60000, 60000);
    QVERIFY(!jpeg.isEmpty());
    QTest::newRow("jpeg SOF 60000x60000") << "huge.jpg" << jpeg << QStringLiteral("60000×60000");
    // A GIF's first frame as big as its screen, then nothing: the header is all there is.
    QTest::newRow("gif 60000x60000")
        << "huge.gif" << gif(QSize(60000, 60000), {{QRect(0, 0, 60000, 60000), {}}}, false)
        << QStringLiteral("60000×60000");
    const QByteArray webp = webpClaiming(16383, 16383); // the most VP8 can say: 268 MP
    QVERIFY(!webp.isEmpty());
    QTest::newRow("webp 16383x16383") << "huge.webp" << webp << QStringLiteral("16383×16383");
}

void tst_HostileInput::oversizedHeaderRejectedBeforeDecoding()
{
    QFETCH(QString, fileName);
    QFETCH(QByteArray, bytes);
    QFETCH(QString, size);
    writeFile(in() + QLatin1Char('/') + fileName, bytes);

    QList<JobStage> stages;
    JobOptions options;
    options.onStage = [&stages](JobStage stage) {
        stages << stage;
    };
    const qint64 peakBefore = peakRssKb();
    const QList<Processed> all = processIntoFolder({in()}, Recipe(), out(), nullptr, options);
    QCOMPARE(all.size(), 1);
    const Processed &p = all.first();
    QVERIFY2(p.is(OutcomeKind::PermanentFailure), p.describe());
    QVERIFY2(p.outcome.message.contains(size), p.describe());
    QVERIFY2(p.outcome.message.contains(QStringLiteral("over the 100 MP limit")), p.describe());
    // Stopped on the header: the decoder never ran, no pixel buffer was allocated.
    QCOMPARE(stages.size(), 1);
    QVERIFY(stages.first() == JobStage::Read);
    if (peakBefore > 0)
        QVERIFY2(peakRssKb() - peakBefore < 64 * 1024, "peak memory grew by more than 64 MB");
    QCOMPARE(listFiles(out()), QStringList());
}

void tst_HostileInput::pixelLimitBoundary_data()
{
    QTest::addColumn<QString>("fileName");
    QTest::addColumn<QByteArray>("bytes");
    QTest::addColumn<bool>("accepted");

    const QSize under(100, 100), over(100, 101); // limit 10,000 pixels
    for (const char *format : {"jpeg", "png", "webp", "gif"}) {
        const QString name = QStringLiteral("edge.") + QLatin1String(format);
        auto bytesOf = [format](QSize size) {
            return qstrcmp(format, "gif") == 0 ? quadrantGif(size)
                                               : encode(quadrants(size), format, 90);
        };
        QTest::addRow("%s 100x100 at the limit", format) << name << bytesOf(under) << true;
        QTest::addRow("%s 100x101 just over", format) << name << bytesOf(over) << false;
    }
}

void tst_HostileInput::pixelLimitBoundary()
{
    QFETCH(QString, fileName);
    QFETCH(QByteArray, bytes);
    QFETCH(bool, accepted);
    writeFile(in() + QLatin1Char('/') + fileName, bytes);
    Recipe recipe;
    recipe.limits.maxPixels = 10000;

    const QList<Processed> all = processIntoFolder({in()}, recipe, out());
    QCOMPARE(all.size(), 1);
    const Processed &p = all.first();
    if (accepted) {
        QVERIFY2(p.is(OutcomeKind::Done), p.describe());
        QCOMPARE(QImage(p.result().outputPath).size(), QSize(100, 100));
    } else {
        QVERIFY2(p.is(OutcomeKind::PermanentFailure), p.describe());
        QVERIFY2(p.outcome.message.contains(QStringLiteral("100×101")), p.describe());
        QVERIFY2(p.outcome.message.contains(QStringLiteral("over the 0.01 MP limit")),
                 p.describe());
        QCOMPARE(listFiles(out()), QStringList());
    }
}

// --- 3 ----------------------------------------------------------------------------------------

void tst_HostileInput::animatedGifUsesFirstFrameOnly()
{
    // Frame 1: the quadrants. Frames 2..3000: the whole screen in solid blue. A decoder that
    // went past the first frame would produce blue; one that kept frames would grow.
    const QSize screen(32, 32);
    constexpr int Frames = 3000;
    QList<GifFrame> frames{{QRect(QPoint(0, 0), screen), quadrantIndices(screen)}};
    const GifFrame blue{QRect(QPoint(0, 0), screen), QByteArray(32 * 32, char(2))};
    for (int i = 1; i < Frames; ++i)
        frames << blue;
    const QByteArray bytes = gif(screen, frames);
    writeFile(in() + QStringLiteral("/anim.gif"), bytes);
    {
        QBuffer buffer;
        buffer.setData(bytes);
        QImageReader check(&buffer);
        QCOMPARE(check.imageCount(), Frames); // the file really is what it claims
    }

    const qint64 peakBefore = peakRssKb();
    const QList<Processed> all = processIntoFolder({in()}, Recipe(), out());
    QCOMPARE(all.size(), 1);
    const Processed &p = all.first();
    QVERIFY2(p.is(OutcomeKind::Done), p.describe());
    const ImageResult result = p.result();
    QCOMPARE(result.inputFormat, QByteArray("gif"));
    QCOMPARE(result.inputSize, screen);
    QCOMPARE(result.outputSize, screen);
    QCOMPARE(result.outputPath, out() + QStringLiteral("/in/anim.png")); // GIF is not writable
    const QImage output(result.outputPath);
    QCOMPARE(output.size(), screen);
    QCOMPARE(output.pixel(4, 4), qRgb(255, 0, 0));
    QCOMPARE(output.pixel(28, 4), qRgb(0, 255, 0));
    QCOMPARE(output.pixel(4, 28), qRgb(0, 0, 255));
    QCOMPARE(output.pixel(28, 28), qRgb(255, 255, 0));
    // A generous bound: the file is ~1.8 MB, all 3000 decoded frames would be 12 MB, a leak
    // per frame far more. What matters is that nothing scales with the frame count badly.
    if (peakBefore > 0)
        QVERIFY2(peakRssKb() - peakBefore < 200 * 1024, "peak memory grew by more than 200 MB");
}

// --- 4 ----------------------------------------------------------------------------------------

void tst_HostileInput::unsafeZipEntries_data()
{
    QTest::addColumn<QByteArray>("name");
    QTest::addColumn<bool>("symlink");
    QTest::addColumn<QString>("reason");

    const QString dots = QStringLiteral("\"..\" in entry name");
    QTest::newRow("../../x.png") << QByteArray("../../x.png") << false << dots;
    QTest::newRow("..\\..\\x.png") << QByteArray("..\\..\\x.png") << false << dots;
    QTest::newRow("a/../../x.png") << QByteArray("a/../../x.png") << false << dots;
    QTest::newRow("a/./../../../x.png") << QByteArray("a/./../../../x.png") << false << dots;
    QTest::newRow("/etc/x.png") << QByteArray("/etc/x.png") << false
                                << "absolute path in entry name";
    QTest::newRow("\\\\server\\share\\x.png")
        << QByteArray("\\\\server\\share\\x.png") << false << "absolute path in entry name";
    QTest::newRow("C:\\x.png") << QByteArray("C:\\x.png") << false
                               << "drive letter or colon in entry name";
    QTest::newRow("C:x.png") << QByteArray("C:x.png") << false
                             << "drive letter or colon in entry name";
    const QString control = QStringLiteral("control character in entry name");
    QTest::newRow("NUL inside") << QByteArray("x\0/../../y.png", 14) << false << control;
    QTest::newRow("NUL at the end") << QByteArray("x.png\0", 6) << false << control;
    QTest::newRow("newline") << QByteArray("x\n.png") << false << control;
    QTest::newRow("escape sequence") << QByteArray("\x1b[2Jx.png") << false << control;
    QTest::newRow("DEL") << QByteArray("x\x7f.png") << false << control;
    QTest::newRow("symlink entry") << QByteArray("link.png") << true << "is a symbolic link";
    QTest::newRow("symlink with traversal")
        << QByteArray("../link.png") << true << "is a symbolic link";
}

void tst_HostileInput::unsafeZipEntries()
{
    QFETCH(QByteArray, name);
    QFETCH(bool, symlink);
    QFETCH(QString, reason);

    const QByteArray png = encode(quadrants(QSize(16, 16)), "png");
    ZipBuilder zip;
    ZipBuilder::Options options;
    if (symlink)
        options.unixMode = 0120777; // S_IFLNK
    // A symlink's "content" is its target; here it is an image, so following it would work.
    zip.add(name, png, options);
    zip.add("ok.png", png);
    writeFile(in() + QStringLiteral("/evil.zip"), zip.finish());
    // The output sits two levels down, so "../../x.png" from its mirrored folder would land
    // inside the test root, where it is seen.
    const QString output = path(QStringLiteral("deep/er/out"));
    const QStringList before = listFiles(m_dir->path());
    const bool etcBefore = QFile::exists(QStringLiteral("/etc/x.png"));

    InputScanner::Counters counters;
    const QList<Processed> all = processIntoFolder({in()}, Recipe(), output, &counters);
    QCOMPARE(all.size(), 2);
    QCOMPARE(counters.rejected, 1);
    const Processed *good = findItem(all, QStringLiteral("in/evil/ok.png"));
    QVERIFY(good);
    QVERIFY2(good->is(OutcomeKind::Done), good->describe());
    const Processed &bad = all.at(good == &all.at(0) ? 1 : 0);
    QVERIFY2(bad.is(OutcomeKind::PermanentFailure), bad.describe());
    QVERIFY2(bad.outcome.message.contains(reason), bad.describe());
    // Shown as text, never as raw control characters (a name with ESC[2J would clear the
    // terminal of whoever reads the report).
    for (const QString &shown : {bad.outcome.message, bad.item.relativePath}) {
        for (const QChar c : shown)
            QVERIFY2(c.unicode() >= 0x20 && c.unicode() != 0x7f, bad.describe());
    }
    QVERIFY2(bad.outcome.message.startsWith(QStringLiteral("unsafe entry name")) ||
                 bad.outcome.message.startsWith(QStringLiteral("entry \"")),
             bad.describe());
    // The reader refuses it too when asked directly, whatever the scanner said.
    if (symlink) {
        const InputItem direct =
            InputItem::fromArchiveEntry(in() + QStringLiteral("/evil.zip"), QString::fromUtf8(name),
                                        QStringLiteral("link.png"), {});
        const InputData data = InputReader().read(direct);
        QVERIFY(!data.ok);
        QVERIFY(!data.transient);
        QCOMPARE(data.error, QStringLiteral("entry is a symbolic link"));
    }

    QCOMPARE(newFilesOutside(before, QStringLiteral("deep/er/out")), QStringList());
    QCOMPARE(listFiles(output), QStringList{QStringLiteral("in/evil/ok.png")});
    QVERIFY(!containsSymlink(output));
    QCOMPARE(QFile::exists(QStringLiteral("/etc/x.png")), etcBefore);
}

void tst_HostileInput::unsafeZipEntriesIntoZipOutput()
{
    const QByteArray png = encode(quadrants(QSize(16, 16)), "png");
    ZipBuilder zip;
    for (const char *name :
         {"../../x.png", "..\\..\\y.png", "/etc/z.png", "C:\\w.png", "a/../../v.png"})
        zip.add(name, png);
    zip.add(QByteArray("n\0.png", 6), png);
    ZipBuilder::Options link;
    link.unixMode = 0120777;
    zip.add("link.png", png, link);
    zip.add("sub/ok.png", png);
    writeFile(in() + QStringLiteral("/evil.zip"), zip.finish());
    const QStringList before = listFiles(m_dir->path());

    const QString target = out() + QStringLiteral("/result.zip");
    QDir().mkpath(out());
    Recipe recipe;
    QList<Processed> all;
    {
        ZipSink sink(target, recipe);
        QString error;
        QVERIFY2(sink.start(&error), qPrintable(error));
        all = process({in()}, recipe, sink, {target, sink.temporaryPath()});
        QVERIFY2(sink.finish(&error), qPrintable(error));
    }
    QCOMPARE(all.size(), 8);
    int failed = 0;
    for (const Processed &p : all) {
        if (p.item.relativePath == u"in/evil/sub/ok.png") {
            QVERIFY2(p.is(OutcomeKind::Done), p.describe());
        } else {
            QVERIFY2(p.is(OutcomeKind::PermanentFailure), p.describe());
            ++failed;
        }
    }
    QCOMPARE(failed, 7);
    QCOMPARE(zipEntryNames(target), QStringList{QStringLiteral("in/evil/sub/ok.png")});
    QCOMPARE(newFilesOutside(before, QStringLiteral("out")), QStringList());
    QCOMPARE(listFiles(out()), QStringList{QStringLiteral("result.zip")}); // no .part left
}

// --- 5 ----------------------------------------------------------------------------------------

void tst_HostileInput::entryInflatingPastItsHeader_data()
{
    QTest::addColumn<bool>("crcOfPrefix");
    // The header says 1000 bytes; the deflate stream holds 8 MB. With the CRC of the whole
    // content the lie shows at the end of the entry; with the CRC of the first 1000 bytes the
    // entry reads "cleanly" as a truncated image.
    QTest::newRow("CRC of the whole content") << false;
    QTest::newRow("CRC of the declared prefix") << true;
}

void tst_HostileInput::entryInflatingPastItsHeader()
{
    QFETCH(bool, crcOfPrefix);
    const QByteArray content = pngLookingZeros(8 * 1024 * 1024);
    ZipBuilder zip;
    ZipBuilder::Options options;
    options.deflate = true;
    options.declaredSize = 1000;
    if (crcOfPrefix)
        options.declaredCrc = crcOf(content.left(1000));
    zip.add("bomb.png", content, options);
    const QByteArray archive = zip.finish();
    QVERIFY(archive.size() < 64 * 1024);
    writeFile(in() + QStringLiteral("/bomb.zip"), archive);

    InputScanner scanner({in()}, Recipe().limits);
    const std::optional<InputItem> item = scanner.next();
    QVERIFY(item && !item->isRejected());
    QCOMPARE(item->sizeHint, qint64(1000));
    FakeTask task;
    FolderSink sink(out(), Recipe());
    const TaskOutcome outcome = processImage(*item, Recipe(), sink, task.ctx);
    const Processed p{*item, outcome};
    QVERIFY2(p.is(OutcomeKind::PermanentFailure), p.describe());
    QVERIFY2(outcome.message.contains(crcOfPrefix ? QStringLiteral("png") : QStringLiteral("CRC")),
             p.describe());
    // Never more than the header promised was inflated.
    QVERIFY2(item->archiveBudget->bytesInflated.load() <= 1000,
             QByteArray::number(item->archiveBudget->bytesInflated.load()));
    QCOMPARE(listFiles(out()), QStringList());
}

void tst_HostileInput::compressionRatioBomb()
{
    // 8 MB that deflate to ~8 KB: a ratio near 1000:1, honestly declared.
    const QByteArray content = pngLookingZeros(8 * 1024 * 1024);
    ZipBuilder zip;
    ZipBuilder::Options options;
    options.deflate = true;
    zip.add("bomb.png", content, options);
    writeFile(in() + QStringLiteral("/bomb.zip"), zip.finish());

    // The scanner stops it on the declared sizes.
    const QList<Processed> all = processIntoFolder({in()}, Recipe(), out());
    QCOMPARE(all.size(), 1);
    QVERIFY2(all.first().is(OutcomeKind::PermanentFailure), all.first().describe());
    QCOMPARE(all.first().outcome.message,
             QStringLiteral("entry \"bomb.png\" has a compression ratio over the 200:1 limit (a "
                            "ZIP bomb?)"));

    // The reader stops it on the bytes it actually inflated, for an item listed without the
    // ratio check: a little over 1 MB, not 8 MB.
    InputLimits lax;
    lax.maxCompressionRatio = 0;
    InputScanner scanner({in()}, lax);
    const std::optional<InputItem> item = scanner.next();
    QVERIFY(item && !item->isRejected());
    const InputData data = InputReader(Recipe().limits).read(*item);
    QVERIFY(!data.ok);
    QVERIFY(!data.transient);
    QVERIFY2(data.error.contains(QStringLiteral("compression ratio is over the 200:1 limit")),
             qPrintable(data.error));
    QVERIFY(item->archiveBudget->bytesInflated.load() < 2 * 1024 * 1024);
    QCOMPARE(listFiles(out()), QStringList());
}

void tst_HostileInput::entryByteCapOnInflatedBytes()
{
    // Stored, so the ratio is 1: only the byte caps can stop it.
    QByteArray content = pngLookingZeros(3 * 1024 * 1024);
    for (qsizetype i = 8; i < content.size(); i += 7)
        content[i] = char(i);
    ZipBuilder zip;
    zip.add("big %1 %2.png", content); // placeholders in a name must not garble the message
    writeFile(in() + QStringLiteral("/big.zip"), zip.finish());
    Recipe recipe;
    recipe.limits.maxEntryBytes = 1024 * 1024;

    const QList<Processed> all = processIntoFolder({in()}, recipe, out());
    QCOMPARE(all.size(), 1);
    QVERIFY2(all.first().is(OutcomeKind::PermanentFailure), all.first().describe());
    QCOMPARE(all.first().outcome.message,
             QStringLiteral("entry \"big %1 %2.png\" is 3145728 bytes, over the 1048576 byte "
                            "entry limit"));

    // Listed under the default limits, read under the 1 MB one: stopped by what was inflated.
    InputScanner scanner({in()}, InputLimits{});
    const std::optional<InputItem> item = scanner.next();
    QVERIFY(item && !item->isRejected());
    const InputData data = InputReader(recipe.limits).read(*item);
    QVERIFY(!data.ok);
    QVERIFY(!data.transient);
    QCOMPARE(data.error, QStringLiteral("entry inflates past the 1 MB per-entry limit"));
    QVERIFY(item->archiveBudget->bytesInflated.load() <= 1024 * 1024 + 256 * 1024);
    QCOMPARE(listFiles(out()), QStringList());
}

void tst_HostileInput::overlappingEntriesBomb_data()
{
    QTest::addColumn<qint64>("maxArchiveBytes");
    QTest::addColumn<bool>("laxScan"); // listed without archive limits: only the reader stops it
    QTest::newRow("default limits") << InputLimits{}.maxArchiveBytes << false;
    QTest::newRow("10 MB archive cap") << qint64(10 * 1024 * 1024) << false;
    QTest::newRow("listed without limits, read with them") << InputLimits{}.maxArchiveBytes << true;
}

void tst_HostileInput::overlappingEntriesBomb()
{
    QFETCH(qint64, maxArchiveBytes);
    QFETCH(bool, laxScan);
    // One local entry of 900 KB (just under the size where the per-entry ratio applies) that
    // deflates to about 1 KB, and 2000 directory records all pointing at it: 1.8 GB from an
    // archive of ~110 KB.
    constexpr int Records = 2000;
    ZipBuilder zip;
    ZipBuilder::Options options;
    options.deflate = true;
    zip.add("k0000.png", pngLookingZeros(900 * 1024), options);
    for (int i = 1; i < Records; ++i)
        zip.alias(QStringLiteral("k%1.png").arg(i, 4, 10, QLatin1Char('0')).toLatin1());
    const QByteArray archive = zip.finish();
    writeFile(in() + QStringLiteral("/overlap.zip"), archive);
    Recipe recipe;
    recipe.limits.maxArchiveBytes = maxArchiveBytes;
    InputLimits scanLimits = recipe.limits;
    if (laxScan) {
        scanLimits.maxArchiveBytes = 0;
        scanLimits.maxCompressionRatio = 0;
    }

    FolderSink sink(out(), recipe);
    InputScanner scanner({in()}, scanLimits);
    scanner.setExcludedPaths({out()});
    int stopped = 0, rejected = 0, failedOnData = 0;
    std::shared_ptr<ArchiveBudget> budget;
    while (const std::optional<InputItem> item = scanner.next()) {
        if (item->archiveBudget)
            budget = item->archiveBudget;
        FakeTask task;
        const Processed p{*item, processImage(*item, recipe, sink, task.ctx)};
        QVERIFY2(p.is(OutcomeKind::PermanentFailure), p.describe());
        if (item->isRejected())
            ++rejected;
        if (p.outcome.message.contains(QStringLiteral("limit")))
            ++stopped;
        else
            ++failedOnData; // read in full: the kernel is no valid PNG
    }
    QCOMPARE(stopped + failedOnData, Records);
    QVERIFY(budget);
    // Whatever the configuration, the bytes inflated stay within 200 times the archive's
    // size (the ratio limit, applied to the archive as a whole) and within the archive cap,
    // give or take one read chunk; an entry of an archive over its limits inflates nothing.
    const qint64 inflated = budget->bytesInflated.load();
    QVERIFY2(inflated <= qint64(200) * archive.size() + 1024 * 1024, QByteArray::number(inflated));
    QVERIFY2(inflated <= maxArchiveBytes + 1024 * 1024, QByteArray::number(inflated));
    QVERIFY2(stopped > Records * 9 / 10, QByteArray::number(stopped));
    QCOMPARE(rejected, laxScan ? 0 : stopped); // the scanner stops it first when it can
    QCOMPARE(listFiles(out()), QStringList());
}

void tst_HostileInput::entryCountCap_data()
{
    QTest::addColumn<int>("entries");
    QTest::addColumn<bool>("accepted");
    QTest::newRow("1000 entries, cap 1000") << 1000 << true;
    QTest::newRow("1001 entries, cap 1000") << 1001 << false;
}

void tst_HostileInput::entryCountCap()
{
    QFETCH(int, entries);
    QFETCH(bool, accepted);
    const QByteArray png = encode(quadrants(QSize(2, 2)), "png");
    ZipBuilder zip;
    for (int i = 0; i < entries; ++i)
        zip.add(QStringLiteral("e%1.png").arg(i, 4, 10, QLatin1Char('0')).toLatin1(), png);
    writeFile(in() + QStringLiteral("/many.zip"), zip.finish());
    InputLimits limits;
    limits.maxArchiveEntries = 1000;

    InputScanner scanner({in()}, limits);
    qint64 items = 0;
    std::optional<InputItem> last;
    while (std::optional<InputItem> item = scanner.next()) {
        ++items;
        last = std::move(item);
    }
    if (accepted) {
        QCOMPARE(items, qint64(entries));
        QCOMPARE(scanner.counters().archiveEntries, qint64(entries));
        QCOMPARE(scanner.counters().rejected, 0);
        return;
    }
    // One failure for the whole archive, and no entry of it.
    QCOMPARE(items, qint64(1));
    QVERIFY(last->isRejected());
    Recipe recipe;
    recipe.limits = limits;
    FolderSink sink(out(), recipe);
    FakeTask task;
    const Processed p{*last, processImage(*last, recipe, sink, task.ctx)};
    QVERIFY2(p.is(OutcomeKind::PermanentFailure), p.describe());
    QCOMPARE(p.outcome.message,
             QStringLiteral("archive has 1001 entries, over the 1000 entry limit"));
}

void tst_HostileInput::hundredThousandEntriesAreListedLazily()
{
    // Exactly the default cap of 100,000 stored empty entries (ZIP64 end records, as zip
    // writes them past 65,535), ~11 MB.
    constexpr int Entries = 100'000;
    QCOMPARE(InputLimits{}.maxArchiveEntries, qint64(Entries));
    ZipBuilder zip;
    zip.reserve(Entries, qsizetype(Entries) * 45);
    for (int i = 0; i < Entries; ++i)
        zip.add(QByteArray("e") + QByteArray::number(i).rightJustified(6, '0') + ".png", {});
    QList<qsizetype> nameOffsets;
    const QByteArray archive = zip.finish(-1, &nameOffsets);
    const QString archivePath = in() + QStringLiteral("/many.zip");
    writeFile(archivePath, archive);

    InputScanner scanner({in()}, InputLimits{});
    const std::optional<InputItem> first = scanner.next();
    QVERIFY(first);
    QVERIFY2(!first->isRejected(), qPrintable(first->rejection));
    QCOMPARE(first->entryName, QStringLiteral("e000000.png"));
    QCOMPARE(first->index, qint64(0));

    // Now rename every entry from the 1000th on, in the central directory, in place. A scanner
    // that had read (or cached) the whole directory to yield its first item would go on
    // producing the old names; a lazy one reads the new ones.
    {
        QFile file(archivePath);
        QVERIFY(file.open(QIODevice::ReadWrite));
        for (int i = 1000; i < Entries; ++i) {
            QVERIFY(file.seek(nameOffsets.at(i)));
            QCOMPARE(file.write("f", 1), qint64(1));
        }
    }
    qint64 count = 1, renamed = 0;
    QString lastName;
    while (const std::optional<InputItem> item = scanner.next()) {
        QVERIFY2(!item->isRejected(), qPrintable(item->rejection));
        ++count;
        if (item->entryName.startsWith(QLatin1Char('f')))
            ++renamed;
        lastName = item->entryName;
    }
    QCOMPARE(count, qint64(Entries));
    QCOMPARE(scanner.counters().archiveEntries, qint64(Entries));
    QCOMPARE(lastName, QStringLiteral("f099999.png"));
    // Some records after the 1000th may have been buffered with the first read; by far most
    // were not read until they were needed.
    QVERIFY2(renamed > Entries - 2000, QByteArray::number(renamed));
}

void tst_HostileInput::overDefaultEntryCapIsRejectedAtOnce()
{
    constexpr int Entries = 100'001;
    ZipBuilder zip;
    zip.reserve(Entries, qsizetype(Entries) * 45);
    for (int i = 0; i < Entries; ++i)
        zip.add(QByteArray("e") + QByteArray::number(i).rightJustified(6, '0') + ".png", {});
    writeFile(in() + QStringLiteral("/toomany.zip"), zip.finish());

    InputScanner scanner({in()}, InputLimits{});
    const std::optional<InputItem> item = scanner.next();
    QVERIFY(item);
    QVERIFY(item->isRejected());
    QCOMPARE(item->rejection,
             QStringLiteral("archive has 100001 entries, over the 100000 entry limit"));
    QVERIFY(!scanner.next());
    QCOMPARE(scanner.counters().archiveEntries, 0);
}

void tst_HostileInput::damagedDirectoryIsReported()
{
    // Ten entries, the eighth directory record broken: the first seven are listed and the
    // rest of the archive is reported, not silently dropped.
    const QByteArray png = encode(quadrants(QSize(8, 8)), "png");
    ZipBuilder zip;
    for (int i = 0; i < 10; ++i)
        zip.add(QByteArray("p") + QByteArray::number(i) + ".png", png);
    writeFile(in() + QStringLiteral("/damaged.zip"), zip.finish(7));

    InputScanner::Counters counters;
    const QList<Processed> all = processIntoFolder({in()}, Recipe(), out(), &counters);
    QCOMPARE(all.size(), 8);
    for (int i = 0; i < 7; ++i)
        QVERIFY2(all.at(i).is(OutcomeKind::Done), all.at(i).describe());
    const Processed &damage = all.last();
    QVERIFY2(damage.is(OutcomeKind::PermanentFailure), damage.describe());
    QVERIFY2(damage.outcome.message.contains(QStringLiteral("damaged")), damage.describe());
    QVERIFY2(damage.outcome.message.contains(QStringLiteral("after entry 7")), damage.describe());
    QCOMPARE(counters.rejected, 1);
    QCOMPARE(listFiles(out() + QStringLiteral("/in/damaged")).size(), 7);

    // The same with the very first record broken: one clear failure, not an empty archive.
    ZipBuilder first;
    first.add("a.png", png);
    first.add("b.png", png);
    writeFile(in() + QStringLiteral("/damaged.zip"), first.finish(0));
    const QList<Processed> again = processIntoFolder({in()}, Recipe(), out());
    QCOMPARE(again.size(), 1);
    QVERIFY2(again.first().is(OutcomeKind::PermanentFailure), again.first().describe());
    QVERIFY2(again.first().outcome.message.contains(QStringLiteral("damaged")),
             again.first().describe());
}

void tst_HostileInput::nestedZipIsNotExpanded()
{
    const QByteArray png = encode(quadrants(QSize(16, 16)), "png");
    ZipBuilder inner;
    inner.add("deep.png", png);
    ZipBuilder outer;
    outer.add("inner.zip", inner.finish());
    outer.add("top.png", png);
    writeFile(in() + QStringLiteral("/outer.zip"), outer.finish());

    InputScanner::Counters counters;
    const QList<Processed> all = processIntoFolder({in()}, Recipe(), out(), &counters);
    QCOMPARE(all.size(), 2);
    QCOMPARE(counters.archives, 1);
    const Processed *nested = findItem(all, QStringLiteral("in/outer/inner.zip"));
    QVERIFY(nested);
    QVERIFY2(nested->is(OutcomeKind::Skipped), nested->describe());
    QCOMPARE(nested->result().skip, ImageResult::Skip::NotAnImage);
    QCOMPARE(nested->outcome.message, QStringLiteral("not an image (application/zip)"));
    QCOMPARE(listFiles(out()), QStringList{QStringLiteral("in/outer/top.png")});
}

// --- 6 ----------------------------------------------------------------------------------------

void tst_HostileInput::twoInputsOneOutputName()
{
    writeImage(in() + QStringLiteral("/a/x.jpg"), QSize(40, 30), "jpeg");
    writeImage(in() + QStringLiteral("/a/x.png"), QSize(30, 40), "png");
    writeImage(in() + QStringLiteral("/b/x.jpg"), QSize(20, 20), "jpeg");
    const QMap<QString, QByteArray> inputsBefore = hashes(in());
    Recipe recipe;
    recipe.mirrorTree = false; // --flat
    recipe.format = OutputFormat::Jpeg;

    const QList<Processed> all = processIntoFolder({in()}, recipe, out());
    QCOMPARE(all.size(), 3);
    QSet<QString> sources;
    for (const Processed &p : all) {
        QVERIFY2(p.is(OutcomeKind::Done), p.describe());
        // Each output holds the picture of its own input.
        QImageReader reader(p.result().outputPath);
        QCOMPARE(reader.text(QLatin1String(SourceKey)), sourceStamp(p.item.relativePath));
        QCOMPARE(reader.size(), p.result().inputSize);
        sources << p.item.relativePath;
    }
    QCOMPARE(sources.size(), 3);
    QCOMPARE(listFiles(out()), (QStringList{QStringLiteral("x (1).jpg"),
                                            QStringLiteral("x (2).jpg"), QStringLiteral("x.jpg")}));

    // A second run overwrites nothing and adds nothing: every output is recognised as its own.
    const QMap<QString, QByteArray> outputsBefore = hashes(out());
    const QList<Processed> again = processIntoFolder({in()}, recipe, out());
    QCOMPARE(again.size(), 3);
    for (const Processed &p : again) {
        QVERIFY2(p.is(OutcomeKind::Skipped), p.describe());
        QCOMPARE(p.result().skip, ImageResult::Skip::UpToDate);
    }
    QCOMPARE(hashes(out()), outputsBefore);
    QCOMPARE(hashes(in()), inputsBefore);
}

void tst_HostileInput::outputFolderIsTheInput()
{
    writeImage(in() + QStringLiteral("/a.jpg"), QSize(40, 30), "jpeg");
    writeImage(in() + QStringLiteral("/sub/b.png"), QSize(30, 40), "png");
    const QMap<QString, QByteArray> before = hashes(in());
    for (const QString &output : {in(), in() + QStringLiteral("/"), path(QStringLiteral("in/."))}) {
        Recipe recipe;
        recipe.conflict = ConflictPolicy::Overwrite;
        InputScanner::Counters counters;
        const QList<Processed> all = processIntoFolder({in()}, recipe, output, &counters);
        QCOMPARE(all.size(), 0); // left out as a whole: it is the output
        QCOMPARE(counters.excluded, 1);
        QCOMPARE(hashes(in()), before);
    }
}

void tst_HostileInput::outputFolderInsideInput()
{
    writeImage(in() + QStringLiteral("/a.jpg"), QSize(40, 30), "jpeg");
    writeImage(in() + QStringLiteral("/sub/b.png"), QSize(30, 40), "png");
    const QMap<QString, QByteArray> inputsBefore = hashes(in());
    const QString output = in() + QStringLiteral("/out");
    Recipe recipe;
    recipe.conflict = ConflictPolicy::Overwrite;

    InputScanner::Counters counters;
    const QList<Processed> first = processIntoFolder({in()}, recipe, output, &counters);
    QCOMPARE(first.size(), 2);
    for (const Processed &p : first)
        QVERIFY2(p.is(OutcomeKind::Done), p.describe());
    QCOMPARE(listFiles(output),
             (QStringList{QStringLiteral("in/a.jpg"), QStringLiteral("in/sub/b.png")}));

    // Second run: the outputs inside the input are not inputs (no in/out/in/out/...).
    const QList<Processed> second = processIntoFolder({in()}, recipe, output, &counters);
    QCOMPARE(second.size(), 2);
    QCOMPARE(counters.excluded, 1);
    for (const Processed &p : second) {
        QVERIFY2(!p.item.relativePath.startsWith(QStringLiteral("in/out")), p.describe());
        QVERIFY2(p.is(OutcomeKind::Skipped), p.describe());
    }
    QCOMPARE(listFiles(output),
             (QStringList{QStringLiteral("in/a.jpg"), QStringLiteral("in/sub/b.png")}));
    // The inputs are untouched.
    QMap<QString, QByteArray> inputsAfter = hashes(in());
    inputsAfter.remove(QStringLiteral("out/in/a.jpg"));
    inputsAfter.remove(QStringLiteral("out/in/sub/b.png"));
    QCOMPARE(inputsAfter, inputsBefore);
}

void tst_HostileInput::zipOutputInsideInput()
{
    writeImage(in() + QStringLiteral("/a.jpg"), QSize(40, 30), "jpeg");
    writeImage(in() + QStringLiteral("/b.png"), QSize(30, 40), "png");
    const QString target = in() + QStringLiteral("/result.zip");
    Recipe recipe;
    for (int run = 0; run < 2; ++run) {
        ZipSink sink(target, recipe);
        QString error;
        QVERIFY2(sink.start(&error), qPrintable(error));
        // What the front ends exclude: the archive and its temporary name.
        const QList<Processed> all = process({in()}, recipe, sink, {target, sink.temporaryPath()});
        QCOMPARE(all.size(), 2); // never result.zip, nor result.zip.part
        for (const Processed &p : all)
            QVERIFY2(p.is(OutcomeKind::Done), p.describe());
        QVERIFY2(sink.finish(&error), qPrintable(error));
        QCOMPARE(zipEntryNames(target),
                 (QStringList{QStringLiteral("in/a.jpg"), QStringLiteral("in/b.png")}));
    }
    QCOMPARE(listFiles(in()), (QStringList{QStringLiteral("a.jpg"), QStringLiteral("b.png"),
                                           QStringLiteral("result.zip")}));
}

void tst_HostileInput::unwritableOutput_data()
{
    QTest::addColumn<bool>("underAFile");
    QTest::addColumn<bool>("readOnlyMount");
    QTest::newRow("output path below a regular file") << true << false;
    QTest::newRow("read-only output folder (chmod 0555)") << false << false;
    QTest::newRow("read-only file system (a read-only tmpfs; root)") << false << true;
}

void tst_HostileInput::unwritableOutput()
{
    QFETCH(bool, underAFile);
    QFETCH(bool, readOnlyMount);
    writeImage(in() + QStringLiteral("/a.jpg"), QSize(40, 30), "jpeg");
    QString output;
    auto unmount = qScopeGuard([] {});
    if (readOnlyMount) {
        output = out();
        QVERIFY(QDir().mkpath(output));
        const QByteArray target = QFile::encodeName(output);
        if (::geteuid() != 0 ||
            ::mount("tmpfs", target.constData(), "tmpfs", MS_RDONLY, "size=64k") != 0)
            QSKIP("cannot mount a read-only tmpfs here (needs root)");
        unmount.dismiss();
        Recipe recipe;
        recipe.mirrorTree = false;
        const QList<Processed> all = processIntoFolder({in()}, recipe, output);
        ::umount2(target.constData(), MNT_DETACH);
        QCOMPARE(all.size(), 1);
        QVERIFY2(all.first().is(OutcomeKind::PermanentFailure), all.first().describe());
        QVERIFY2(all.first().outcome.message.contains(QStringLiteral("read-only")),
                 all.first().describe());
        return;
    }
    if (underAFile) {
        // Works for root too: no permission bit lets mkdir() create a folder inside a file.
        writeFile(path(QStringLiteral("blocker")), "a file, not a folder");
        output = path(QStringLiteral("blocker/out"));
    } else {
        if (::geteuid() == 0)
            QSKIP("running as root: chmod 0555 does not stop root from writing (the row above "
                  "covers an unwritable output in a way that works as root)");
        output = out();
        QVERIFY(QDir().mkpath(output));
        QVERIFY(QFile::setPermissions(output, QFile::ReadOwner | QFile::ExeOwner |
                                                  QFile::ReadGroup | QFile::ExeGroup |
                                                  QFile::ReadOther | QFile::ExeOther));
    }
    Recipe recipe;
    recipe.mirrorTree = false;
    const QList<Processed> all = processIntoFolder({in()}, recipe, output);
    if (!underAFile)
        QFile::setPermissions(output, QFile::ReadOwner | QFile::WriteOwner | QFile::ExeOwner);
    QCOMPARE(all.size(), 1);
    const Processed &p = all.first();
    // A retry cannot help: this must fail once, permanently, saying where.
    QVERIFY2(p.is(OutcomeKind::PermanentFailure), p.describe());
    QVERIFY2(p.outcome.message.contains(output) ||
                 p.outcome.message.contains(QStringLiteral("ermission")),
             p.describe());
    QCOMPARE(listFiles(underAFile ? path(QStringLiteral("blocker")) : output), QStringList());
}

// --- 7 ----------------------------------------------------------------------------------------

void tst_HostileInput::awkwardFileNames_data()
{
    QTest::addColumn<QByteArray>("rawName"); // the file name's bytes on disk
    QTest::addColumn<QString>("nameTemplate");
    QTest::addColumn<QByteArray>("expected"); // the output name's bytes; empty: must fail
    QTest::addColumn<QString>("reason");      // for a failure: a fragment of the message

    const QString plain = QStringLiteral("{name}.{ext}");
    QTest::newRow("unicode") << QStringLiteral("Ünïcødé 写真 🎞.jpg").toUtf8() << plain
                             << QStringLiteral("Ünïcødé 写真 🎞.jpg").toUtf8() << QString();
    // 82 three-byte characters + ".jpg" = 250 bytes, 5 under NAME_MAX.
    const QByteArray longName = QString(82, QChar(0x5199)).toUtf8() + ".jpg";
    QCOMPARE(longName.size(), qsizetype(250));
    QTest::newRow("250-byte name") << longName << plain << longName << QString();
    // "_40x30" pushes the output name to 256 bytes.
    QTest::newRow("template pushes past NAME_MAX")
        << longName << QStringLiteral("{name}_{w}x{h}.{ext}") << QByteArray() << "too long";
    QTest::newRow("leading dash") << QByteArray("-x.jpg") << plain << QByteArray("-x.jpg")
                                  << QString();
    QTest::newRow("leading dashes, option-like")
        << QByteArray("--output=x.jpg") << plain << QByteArray("--output=x.jpg") << QString();
    QTest::newRow("trailing dot") << QByteArray("x.jpg.") << plain << QByteArray("x.jpg.jpg")
                                  << QString();
    QTest::newRow("newline") << QByteArray("a\nb.jpg") << plain << QByteArray("a_b.jpg")
                             << QString();
    QTest::newRow("tab and carriage return")
        << QByteArray("a\tb\r.jpg") << plain << QByteArray("a_b_.jpg") << QString();
    QTest::newRow("backslash") << QByteArray("a\\..\\b.jpg") << plain << QByteArray("a_.._b.jpg")
                               << QString();
    // Bytes that are no UTF-8 (an old camera, a Windows-1252 ZIP extracted by hand): read by
    // its bytes, and written under a valid name that reads those bytes as Latin-1 (issue 12).
    QTest::newRow("not UTF-8") << QByteArray("caf\xe9.jpg") << plain
                               << QStringLiteral("café.jpg").toUtf8() << QString();
}

void tst_HostileInput::awkwardFileNames()
{
    QFETCH(QByteArray, rawName);
    QFETCH(QString, nameTemplate);
    QFETCH(QByteArray, expected);
    QFETCH(QString, reason);
    QVERIFY(QDir().mkpath(in()));
    QVERIFY(
        writeRawNamed(QFile::encodeName(in()), rawName, encode(quadrants(QSize(40, 30)), "jpeg")));
    // QTemporaryDir cannot remove a name Qt cannot spell; unlink it by its bytes.
    const auto unlinkRaw =
        qScopeGuard([&] { ::unlink((QFile::encodeName(in()) + '/' + rawName).constData()); });
    const QStringList before = listFiles(m_dir->path());
    Recipe recipe;
    recipe.nameTemplate = nameTemplate;
    recipe.mirrorTree = false;

    const QList<Processed> all = processIntoFolder({in()}, recipe, out());
    QCOMPARE(all.size(), 1);
    const Processed &p = all.first();
    if (QString::fromUtf8(rawName).toUtf8() == rawName)
        QCOMPARE(QFile::encodeName(p.item.relativePath), QByteArray("in/") + rawName);
    QCOMPARE(newFilesOutside(before, QStringLiteral("out")), QStringList());
    if (!expected.isEmpty()) {
        QVERIFY2(p.is(OutcomeKind::Done), p.describe());
        QCOMPARE(QFile::encodeName(listFiles(out()).value(0)), expected);
        QCOMPARE(listFiles(out()).size(), 1);
        QCOMPARE(QImage(p.result().outputPath).size(), QSize(40, 30));
        return;
    }
    // Either a clear permanent failure, or handled: a shortened name that fits.
    if (p.is(OutcomeKind::Done)) {
        const QByteArray name = QFile::encodeName(QFileInfo(p.result().outputPath).fileName());
        QVERIFY2(name.size() <= 255, name);
        QCOMPARE(listFiles(out()).size(), 1);
        return;
    }
    QCOMPARE(listFiles(out()), QStringList()); // no partial file, whatever the outcome
    QVERIFY2(p.is(OutcomeKind::PermanentFailure), p.describe());
    QVERIFY2(p.outcome.message.contains(reason), p.describe());
}

void tst_HostileInput::unicodeEntryNamesInBothSinks()
{
    const QString name = QStringLiteral("Ünïcødé 写真 🎞.png");
    ZipBuilder zip;
    zip.add(name.toUtf8(), encode(quadrants(QSize(16, 16)), "png"));
    writeFile(in() + QStringLiteral("/фото.zip"), zip.finish());

    const QList<Processed> folder = processIntoFolder({in()}, Recipe(), out());
    QCOMPARE(folder.size(), 1);
    QVERIFY2(folder.first().is(OutcomeKind::Done), folder.first().describe());
    QCOMPARE(listFiles(out()), QStringList{QStringLiteral("in/фото/") + name});

    const QString target = path(QStringLiteral("zipped/result.zip"));
    QDir().mkpath(QFileInfo(target).absolutePath());
    Recipe recipe;
    ZipSink sink(target, recipe);
    QString error;
    QVERIFY2(sink.start(&error), qPrintable(error));
    const QList<Processed> zipped = process({in()}, recipe, sink, {target});
    QCOMPARE(zipped.size(), 1);
    QVERIFY2(zipped.first().is(OutcomeKind::Done), zipped.first().describe());
    QVERIFY2(sink.finish(&error), qPrintable(error));
    QCOMPARE(zipEntryNames(target), QStringList{QStringLiteral("in/фото/") + name});
}

QTEST_MAIN(tst_HostileInput)
#include "tst_hostileinput.moc"
