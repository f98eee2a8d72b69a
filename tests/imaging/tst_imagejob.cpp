#include "exivfixtures.h"
#include "heiffixtures.h"
#include "iccfixtures.h"
#include "testimages.h"
#include "toolfixtures.h"

#include <QColorSpace>
#include <QImageReader>
#include <QTemporaryDir>
#include <QtTest>
#include <exivmetadata.h>
#include <failpoints.h>
#include <foldersink.h>
#include <imagejob.h>
#include <inputscanner.h>
#include <poolengine.h>
#include <sys/xattr.h>
#include <zipsink.h>

using namespace sluice;
using namespace testimages;

namespace {

// ms: for what must happen through the pool (the waits return as soon as it has), generous
// for a loaded machine under a sanitizer.
constexpr int Patience = 60000;

// A device that opens but fails every read: an I/O hiccup on a flaky share.
class FailingDevice : public QIODevice
{
public:
    FailingDevice() { open(QIODevice::ReadOnly); }

protected:
    qint64 readData(char *, qint64) override
    {
        setErrorString(QStringLiteral("Input/output error"));
        return -1;
    }
    qint64 writeData(const char *, qint64) override { return -1; }
};

} // namespace

class tst_ImageJob : public QObject
{
    Q_OBJECT

private:
    void writeCameraJpeg(const QString &name) const;
    QByteArray convertedBytes(OutputFormat format, MetadataPolicy policy, bool zip);
    QString inputDir() const { return m_dir->filePath(QStringLiteral("in")); }
    QString outputDir() const { return m_dir->filePath(QStringLiteral("out")); }
    InputItem fileItem(const QString &relative) const
    {
        return InputItem::fromFile(inputDir() + QLatin1Char('/') + relative, relative);
    }
    TaskOutcome run(const InputItem &item, const Recipe &recipe,
                    const JobOptions *options = nullptr)
    {
        FolderSink sink(outputDir(), recipe);
        FakeTask task;
        return options ? processImage(item, recipe, sink, task.ctx, *options)
                       : processImage(item, recipe, sink, task.ctx);
    }
    // One pool task per input in inputDir(), then the batch is closed. The recipe and sink
    // must outlive the batch; each task keeps its own copy of the options.
    void submitInputs(PoolEngine &pool, BatchId batch, const Recipe &recipe, Sink &sink,
                      const JobOptions &options = {}) const
    {
        InputScanner scanner({inputDir()});
        while (auto item = scanner.next()) {
            pool.submit(batch,
                        Task([&recipe, &sink, options, item = *item](const TaskContext &ctx) {
                            return processImage(item, recipe, sink, ctx, options);
                        }));
        }
        pool.closeBatch(batch);
    }
    static QString outputOf(const TaskOutcome &outcome)
    {
        return outcome.detail.value<ImageResult>().outputPath;
    }

    std::unique_ptr<QTemporaryDir> m_dir;

private slots:
    void init();
    void resizeModes_data();
    void resizeModes();
    void exifOrientations_data();
    void exifOrientations();
    void scaledDecodeIsInStoredOrientation();
    void formatRoundTrips_data();
    void formatRoundTrips();
    void transparentPngToJpegIsWhite();
    void transparencyKept_data();
    void transparencyKept();
    void progressiveJpeg();
    void detailHoldsImageResult();
    void fingerprintWrittenIntoOutput_data();
    void fingerprintWrittenIntoOutput();
    void noPathInsideOutputs_data();
    void noPathInsideOutputs();
    void metadataInOutputs_data();
    void metadataInOutputs();
    void damagedMetadataNeverFailsTheImage();
    void wideGamutBecomesSrgb();
    void adobeRgbMarkedOnlyInExif();
    void cmykJpegThroughItsProfile_data();
    void cmykJpegThroughItsProfile();
    void grayProfileAppliedOrKept_data();
    void grayProfileAppliedOrKept();
    void truncatedJpegIsPermanent();
    void corruptPngIsPermanent();
    void overLimitHeaderFailsBeforeAllocation();
    void enlargingPastThePixelLimitFails_data();
    void enlargingPastThePixelLimitFails();
    void nonImageIsSkipped();
    void unsupportedImageIsPermanent();
    void recognisedByContentNotExtension();
    void rejectedItemFailsPermanently();
    void lockedFileIsTransient();
    void readErrorIsTransient();
    void vanishedFileIsTransient();
    void cancelAtEachStageLeavesNothing_data();
    void cancelAtEachStageLeavesNothing();
    void zipInFolderOut();
    void incrementalRunSkipsUpToDate();
    void throughThePool();
    void injectedFaults_data();
    void injectedFaults();
    void injectedFaultsThroughThePool();
    void fullDiskPausesTheBatch();
    void costEstimate();
    void limitCountsWhatIsDecoded_data();
    void limitCountsWhatIsDecoded();
    void iphoneHeicBecomesAnUprightJpeg();
    void displayP3HeicBecomesSrgb();
    void avifAndJpegXlOutputs_data();
    void avifAndJpegXlOutputs();
    void namesFromCaptureDateAndCamera_data();
    void namesFromCaptureDateAndCamera();
};

void tst_ImageJob::init()
{
    m_dir = std::make_unique<QTemporaryDir>();
    QVERIFY(m_dir->isValid());
}

void tst_ImageJob::resizeModes_data()
{
    QTest::addColumn<QString>("format");
    QTest::addColumn<int>("mode");
    QTest::addColumn<QSize>("source");
    QTest::addColumn<QSize>("target");
    QTest::addColumn<bool>("upscale");
    QTest::addColumn<QSize>("expected");

    for (const char *format : {"png", "jpeg"}) {
        auto row = [&](const char *name) {
            return &QTest::newRow(qPrintable(QStringLiteral("%1 %2").arg(format, name)));
        };
        *row("fit") << format << int(ResizeMode::Fit) << QSize(1600, 1200) << QSize(256, 256)
                    << false << QSize(256, 192);
        *row("fit no upscale") << format << int(ResizeMode::Fit) << QSize(160, 120)
                               << QSize(256, 256) << false << QSize(160, 120);
        *row("fit upscale") << format << int(ResizeMode::Fit) << QSize(160, 120) << QSize(320, 320)
                            << true << QSize(320, 240);
        *row("fill") << format << int(ResizeMode::Fill) << QSize(1600, 1200) << QSize(200, 200)
                     << false << QSize(200, 200);
        *row("exact") << format << int(ResizeMode::Exact) << QSize(1600, 1200) << QSize(300, 100)
                      << false << QSize(300, 100);
        *row("long edge") << format << int(ResizeMode::LongEdge) << QSize(1200, 1600)
                          << QSize(400, 400) << false << QSize(300, 400);
        *row("short edge") << format << int(ResizeMode::ShortEdge) << QSize(1600, 1200)
                           << QSize(300, 300) << false << QSize(400, 300);
        *row("percent") << format << int(ResizeMode::Percent) << QSize(1600, 1200) << QSize(25, 25)
                        << false << QSize(400, 300);
    }
}

void tst_ImageJob::resizeModes()
{
    QFETCH(QString, format);
    QFETCH(int, mode);
    QFETCH(QSize, source);
    QFETCH(QSize, target);
    QFETCH(bool, upscale);
    QFETCH(QSize, expected);

    const QString name = QStringLiteral("a.") + format;
    QVERIFY(
        !writeImage(inputDir() + QLatin1Char('/') + name, source, qPrintable(format)).isEmpty());
    Recipe recipe;
    recipe.mode = ResizeMode(mode);
    recipe.targetSize = target;
    recipe.upscale = upscale;
    const TaskOutcome outcome = run(fileItem(name), recipe);
    QCOMPARE(int(outcome.kind), int(OutcomeKind::Done));
    QImageReader reader(outputOf(outcome));
    QCOMPARE(reader.size(), expected);
    QCOMPARE(outcome.detail.value<ImageResult>().outputSize, expected);
}

void tst_ImageJob::exifOrientations_data()
{
    QTest::addColumn<int>("orientation");
    QTest::addColumn<int>("box"); // 100: reduced JPEG decode (1/4); 1000: full decode
    for (int box : {100, 1000}) {
        for (int o = 1; o <= 8; ++o)
            QTest::newRow(qPrintable(QStringLiteral("orientation %1, box %2").arg(o).arg(box)))
                << o << box;
    }
}

void tst_ImageJob::exifOrientations()
{
    QFETCH(int, orientation);
    QFETCH(int, box);
    const QImage stored = quadrants(QSize(400, 200));
    QVERIFY(
        !writeFile(inputDir() + QStringLiteral("/o.jpg"), jpegWithOrientation(stored, orientation))
             .isEmpty());
    Recipe recipe;
    recipe.targetSize = QSize(box, box);
    recipe.format = OutputFormat::Png;
    const TaskOutcome outcome = run(fileItem(QStringLiteral("o.jpg")), recipe);
    QCOMPARE(int(outcome.kind), int(OutcomeKind::Done));

    const bool swaps = orientation >= 5;
    const QSize full = swaps ? QSize(200, 400) : QSize(400, 200);
    const QSize expectedSize = box == 100 ? (swaps ? QSize(50, 100) : QSize(100, 50)) : full;
    const QImage out(outputOf(outcome));
    QCOMPARE(out.size(), expectedSize);
    QCOMPARE(outcome.detail.value<ImageResult>().inputSize, full);

    const QImage expected =
        applyOrientation(stored, orientation)
            .scaled(expectedSize, Qt::IgnoreAspectRatio, Qt::SmoothTransformation);
    for (double fx : {0.2, 0.8}) {
        for (double fy : {0.2, 0.8}) {
            const QPoint p(int(fx * expectedSize.width()), int(fy * expectedSize.height()));
            QVERIFY2(closeColor(out.pixelColor(p), expected.pixelColor(p)),
                     qPrintable(QStringLiteral("at %1,%2: got %3, want %4")
                                    .arg(p.x())
                                    .arg(p.y())
                                    .arg(out.pixelColor(p).name(), expected.pixelColor(p).name())));
        }
    }
}

// processImage() passes setScaledSize() in the file's stored orientation and lets
// autoTransform rotate afterwards. This pins that Qt behaviour: if it changes, the reduced
// decode of orientations 5-8 would stretch the image before the final scale.
void tst_ImageJob::scaledDecodeIsInStoredOrientation()
{
    QByteArray jpeg = jpegWithOrientation(quadrants(QSize(400, 200)), 6);
    QBuffer buffer(&jpeg);
    buffer.open(QIODevice::ReadOnly);
    QImageReader reader(&buffer);
    reader.setAutoTransform(true);
    QCOMPARE(reader.size(), QSize(400, 200)); // stored, not displayed
    reader.setScaledSize(QSize(100, 50));
    const QImage image = reader.read();
    QCOMPARE(image.size(), QSize(50, 100));
}

void tst_ImageJob::formatRoundTrips_data()
{
    QTest::addColumn<QString>("inputFormat");
    QTest::addColumn<int>("format");
    QTest::addColumn<QByteArray>("expectedFormat");
    QTest::addColumn<QString>("expectedSuffix");
    QTest::newRow("png keep") << "png" << int(OutputFormat::Keep) << QByteArray("png") << "png";
    QTest::newRow("jpeg keep") << "jpeg" << int(OutputFormat::Keep) << QByteArray("jpeg") << "jpg";
    QTest::newRow("webp keep") << "webp" << int(OutputFormat::Keep) << QByteArray("webp") << "webp";
    QTest::newRow("bmp keep") << "bmp" << int(OutputFormat::Keep) << QByteArray("bmp") << "bmp";
    QTest::newRow("gif keep -> png")
        << "gif" << int(OutputFormat::Keep) << QByteArray("png") << "png";
    QTest::newRow("png -> jpg") << "png" << int(OutputFormat::Jpeg) << QByteArray("jpeg") << "jpg";
    QTest::newRow("jpeg -> png") << "jpeg" << int(OutputFormat::Png) << QByteArray("png") << "png";
    QTest::newRow("png -> webp") << "png" << int(OutputFormat::Webp) << QByteArray("webp")
                                 << "webp";
    QTest::newRow("webp -> jpg") << "webp" << int(OutputFormat::Jpeg) << QByteArray("jpeg")
                                 << "jpg";
}

void tst_ImageJob::formatRoundTrips()
{
    QFETCH(QString, inputFormat);
    QFETCH(int, format);
    QFETCH(QByteArray, expectedFormat);
    QFETCH(QString, expectedSuffix);
    if (!QImageWriter::supportedImageFormats().contains(inputFormat.toLatin1())) {
        // gif has no writer in Qt: make one by hand (a 1x1 GIF89a).
        QVERIFY(inputFormat == u"gif");
        writeFile(
            inputDir() + QStringLiteral("/in.gif"),
            QByteArray::fromBase64("R0lGODlhAQABAIAAAP8AAP///yH5BAAAAAAALAAAAAABAAEAAAICRAEAOw=="));
    } else {
        QVERIFY(!writeImage(inputDir() + QStringLiteral("/in.") + inputFormat, QSize(64, 48),
                            qPrintable(inputFormat))
                     .isEmpty());
    }
    Recipe recipe;
    recipe.format = OutputFormat(format);
    const TaskOutcome outcome = run(fileItem(QStringLiteral("in.") + inputFormat), recipe);
    QVERIFY2(outcome.kind == OutcomeKind::Done, qPrintable(outcome.message));
    const QString path = outputOf(outcome);
    QCOMPARE(QFileInfo(path).suffix(), expectedSuffix);
    QImageReader reader(path);
    reader.setDecideFormatFromContent(true);
    QCOMPARE(reader.format(), expectedFormat);
    const QImage out = reader.read();
    QVERIFY(!out.isNull());
    if (inputFormat != u"gif")
        QVERIFY(closeColor(out.pixelColor(8, 8), Qt::red));
}

namespace {
// Left half: fully transparent but red underneath. Right half: opaque blue.
QImage transparentOverRed()
{
    QImage image(QSize(64, 32), QImage::Format_ARGB32);
    for (int y = 0; y < 32; ++y) {
        for (int x = 0; x < 64; ++x)
            image.setPixel(x, y, x < 32 ? qRgba(255, 0, 0, 0) : qRgba(0, 0, 255, 255));
    }
    return image;
}
} // namespace

void tst_ImageJob::transparentPngToJpegIsWhite()
{
    writeFile(inputDir() + QStringLiteral("/t.png"), encode(transparentOverRed(), "png"));
    QVERIFY(QImage(inputDir() + QStringLiteral("/t.png")).pixel(5, 5) == qRgba(255, 0, 0, 0));
    Recipe recipe;
    recipe.format = OutputFormat::Jpeg;
    const TaskOutcome outcome = run(fileItem(QStringLiteral("t.png")), recipe);
    QCOMPARE(int(outcome.kind), int(OutcomeKind::Done));
    const QImage out(outputOf(outcome));
    QVERIFY(!out.hasAlphaChannel());
    QVERIFY2(closeColor(out.pixelColor(8, 16), Qt::white, 8),
             qPrintable(out.pixelColor(8, 16).name()));
    QVERIFY(closeColor(out.pixelColor(56, 16), Qt::blue));
}

void tst_ImageJob::transparencyKept_data()
{
    QTest::addColumn<int>("format");
    QTest::addColumn<QSize>("target");
    QTest::newRow("png") << int(OutputFormat::Png) << QSize(64, 64);
    QTest::newRow("png scaled") << int(OutputFormat::Png) << QSize(32, 32);
    QTest::newRow("webp") << int(OutputFormat::Webp) << QSize(64, 64);
}

void tst_ImageJob::transparencyKept()
{
    QFETCH(int, format);
    QFETCH(QSize, target);
    writeFile(inputDir() + QStringLiteral("/t.png"), encode(transparentOverRed(), "png"));
    Recipe recipe;
    recipe.format = OutputFormat(format);
    recipe.targetSize = target;
    recipe.quality = 100;
    const TaskOutcome outcome = run(fileItem(QStringLiteral("t.png")), recipe);
    QCOMPARE(int(outcome.kind), int(OutcomeKind::Done));
    const QImage out(outputOf(outcome));
    QVERIFY(out.hasAlphaChannel());
    QCOMPARE(qAlpha(out.pixel(2, 2)), 0);
    QCOMPARE(qAlpha(out.pixel(out.width() - 2, 2)), 255);
}

void tst_ImageJob::progressiveJpeg()
{
    writeImage(inputDir() + QStringLiteral("/p.png"), QSize(64, 64), "png");
    Recipe recipe;
    recipe.format = OutputFormat::Jpeg;
    recipe.progressive = true;
    const TaskOutcome progressive = run(fileItem(QStringLiteral("p.png")), recipe);
    QFile file(outputOf(progressive));
    QVERIFY(file.open(QIODevice::ReadOnly));
    QVERIFY(file.readAll().contains(QByteArrayLiteral("\xFF\xC2"))); // SOF2: progressive

    recipe.progressive = false;
    recipe.nameTemplate = QStringLiteral("{name}-baseline.{ext}");
    const TaskOutcome baseline = run(fileItem(QStringLiteral("p.png")), recipe);
    QFile base(outputOf(baseline));
    QVERIFY(base.open(QIODevice::ReadOnly));
    QVERIFY(!base.readAll().contains(QByteArrayLiteral("\xFF\xC2")));
}

void tst_ImageJob::detailHoldsImageResult()
{
    writeImage(inputDir() + QStringLiteral("/sub/d.jpg"), QSize(800, 600), "jpeg");
    Recipe recipe;
    recipe.targetSize = QSize(200, 200);
    const TaskOutcome outcome = run(fileItem(QStringLiteral("sub/d.jpg")), recipe);
    QCOMPARE(int(outcome.kind), int(OutcomeKind::Done));
    QVERIFY(outcome.detail.canConvert<ImageResult>());
    const ImageResult result = outcome.detail.value<ImageResult>();
    QCOMPARE(result.outputPath, outputDir() + QStringLiteral("/sub/d.jpg"));
    QCOMPARE(result.inputSize, QSize(800, 600));
    QCOMPARE(result.outputSize, QSize(200, 150));
    QCOMPARE(result.outputBytes, QFileInfo(result.outputPath).size());
    QVERIFY(result.elapsedMs >= 0);
    QCOMPARE(result.inputFormat, QByteArray("jpeg"));
    QCOMPARE(result.outputFormat, QByteArray("jpeg"));
    // QSaveFile's temporary file must not leave the output private to its owner.
    QVERIFY(QFileInfo(result.outputPath).permissions() & QFile::ReadOther);
}

// Issue 11: the pixel limit counts what is decoded. A 1.92 MP JPEG under a 1 MP limit makes its
// 256 px thumbnail from a 1/2-scale decode, but cannot be decoded whole for a 1000 px output.
void tst_ImageJob::limitCountsWhatIsDecoded_data()
{
    QTest::addColumn<int>("box");
    QTest::addColumn<QSize>("output");
    QTest::newRow("256 px: 1/2-scale decode") << 256 << QSize(256, 192);
    QTest::newRow("1000 px: whole decode") << 1000 << QSize();
}

void tst_ImageJob::limitCountsWhatIsDecoded()
{
    QFETCH(int, box);
    QFETCH(QSize, output);
    writeImage(inputDir() + QStringLiteral("/big.jpg"), QSize(1600, 1200), "jpeg");
    Recipe recipe;
    recipe.targetSize = QSize(box, box);
    recipe.limits.maxPixels = 1'000'000;
    const TaskOutcome outcome = run(fileItem(QStringLiteral("big.jpg")), recipe);
    if (output.isValid()) {
        QCOMPARE(int(outcome.kind), int(OutcomeKind::Done));
        QCOMPARE(QImage(outputOf(outcome)).size(), output);
    } else {
        QCOMPARE(int(outcome.kind), int(OutcomeKind::PermanentFailure));
        QCOMPARE(outcome.message, QStringLiteral("image is 1600×1200, over the 1 MP limit"));
    }
}

void tst_ImageJob::costEstimate()
{
    Recipe recipe;
    QCOMPARE(estimateCostBytes(1000, recipe), qint64(11000));
    recipe.limits.maxPixels = 100;
    QCOMPARE(estimateCostBytes(1000, recipe), qint64(1400)); // capped by the pixel limit
}

void tst_ImageJob::fingerprintWrittenIntoOutput_data()
{
    QTest::addColumn<int>("format");
    QTest::newRow("jpeg") << int(OutputFormat::Jpeg);
    QTest::newRow("png") << int(OutputFormat::Png);
}

void tst_ImageJob::fingerprintWrittenIntoOutput()
{
    QFETCH(int, format);
    writeImage(inputDir() + QStringLiteral("/f.png"), QSize(32, 32), "png");
    Recipe recipe;
    recipe.format = OutputFormat(format);
    const TaskOutcome outcome = run(fileItem(QStringLiteral("f.png")), recipe);
    QImageReader reader(outputOf(outcome));
    QCOMPARE(reader.text(QLatin1String(FingerprintKey)), recipe.fingerprint());
    QCOMPARE(reader.text(QLatin1String(SourceKey)), sourceStamp(QStringLiteral("f.png")));
}

// Issue 12: no path of the user's goes into an output (it went into every JPEG COM and PNG
// tEXt): a client's folder name appears nowhere in the bytes, nor in the extended attribute.
void tst_ImageJob::noPathInsideOutputs_data()
{
    QTest::addColumn<int>("format");
    QTest::newRow("jpeg") << int(OutputFormat::Jpeg);
    QTest::newRow("png") << int(OutputFormat::Png);
    QTest::newRow("webp") << int(OutputFormat::Webp);
}

void tst_ImageJob::noPathInsideOutputs()
{
    QFETCH(int, format);
    const QString folder = QStringLiteral("Jane Doe wedding 2024");
    QVERIFY(QDir().mkpath(inputDir() + QLatin1Char('/') + folder));
    writeImage(inputDir() + QLatin1Char('/') + folder + QStringLiteral("/DSC_0001.png"),
               QSize(32, 32), "png");
    Recipe recipe;
    recipe.format = OutputFormat(format);
    const TaskOutcome outcome = run(fileItem(folder + QStringLiteral("/DSC_0001.png")), recipe);
    QCOMPARE(int(outcome.kind), int(OutcomeKind::Done));
    QFile output(outputOf(outcome));
    QVERIFY(output.open(QIODevice::ReadOnly));
    const QByteArray bytes = output.readAll();
    for (const QByteArray &secret :
         {QByteArray("Jane Doe"), QByteArray("DSC_0001"), QFile::encodeName(inputDir())})
        QVERIFY2(!bytes.contains(secret), secret.constData());
    char stamp[4096];
    const ssize_t n = ::getxattr(QFile::encodeName(output.fileName()).constData(),
                                 "user.sluice.stamp", stamp, sizeof(stamp));
    if (n > 0)
        QVERIFY(!QByteArray(stamp, int(n)).contains("Jane Doe"));
}

void tst_ImageJob::truncatedJpegIsPermanent()
{
    const QByteArray jpeg = encode(quadrants(QSize(300, 200)), "jpeg");
    writeFile(inputDir() + QStringLiteral("/cut.jpg"), jpeg.left(jpeg.size() * 6 / 10));
    const TaskOutcome outcome = run(fileItem(QStringLiteral("cut.jpg")), Recipe());
    QCOMPARE(int(outcome.kind), int(OutcomeKind::PermanentFailure));
    QCOMPARE(outcome.message, QStringLiteral("truncated JPEG data"));
    QCOMPARE(listFiles(outputDir()), QStringList());
}

void tst_ImageJob::corruptPngIsPermanent()
{
    const QByteArray png = encode(quadrants(QSize(300, 200)), "png");
    writeFile(inputDir() + QStringLiteral("/cut.png"), png.left(png.size() / 2));
    const TaskOutcome outcome = run(fileItem(QStringLiteral("cut.png")), Recipe());
    QCOMPARE(int(outcome.kind), int(OutcomeKind::PermanentFailure));
    QVERIFY2(outcome.message.contains(QStringLiteral("corrupt or truncated png")),
             qPrintable(outcome.message));
    QCOMPARE(listFiles(outputDir()), QStringList());
}

void tst_ImageJob::overLimitHeaderFailsBeforeAllocation()
{
    // 30000x30000 RGBA would be 3.6 GB; the file is under 100 bytes. Reaching the decoder would
    // give a different message (and Qt's own allocation limit), so the exact text proves the header
    // check ran first.
    writeFile(inputDir() + QStringLiteral("/bomb.png"), pngHeaderOnly(30000, 30000));
    const TaskOutcome outcome = run(fileItem(QStringLiteral("bomb.png")), Recipe());
    QCOMPARE(int(outcome.kind), int(OutcomeKind::PermanentFailure));
    QCOMPARE(outcome.message, QStringLiteral("image is 30000×30000, over the 100 MP limit"));

    Recipe small;
    small.limits.maxPixels = 2'500'000;
    writeImage(inputDir() + QStringLiteral("/big.png"), QSize(2000, 1300), "png");
    const TaskOutcome big = run(fileItem(QStringLiteral("big.png")), small);
    QCOMPARE(big.message, QStringLiteral("image is 2000×1300, over the 2.5 MP limit"));
    QCOMPARE(listFiles(outputDir()), QStringList());
}

void tst_ImageJob::nonImageIsSkipped()
{
    writeFile(inputDir() + QStringLiteral("/notes.txt"), "just some words\n");
    const TaskOutcome outcome = run(fileItem(QStringLiteral("notes.txt")), Recipe());
    QCOMPARE(int(outcome.kind), int(OutcomeKind::Skipped));
    QVERIFY2(outcome.message.startsWith(QStringLiteral("not an image")),
             qPrintable(outcome.message));
    QVERIFY(outcome.detail.value<ImageResult>().skip == ImageResult::Skip::NotAnImage);
}

void tst_ImageJob::unsupportedImageIsPermanent()
{
    // A Photoshop header: an image by content, but no Qt plugin reads it here.
    if (QImageReader::supportedImageFormats().contains("psd"))
        QSKIP("a PSD plugin is installed");
    writeFile(inputDir() + QStringLiteral("/layers.psd"),
              QByteArrayLiteral("8BPS\x00\x01\x00\x00\x00\x00\x00\x00\x00\x03\x00\x00\x00\x10"
                                "\x00\x00\x00\x10\x00\x08\x00\x03") +
                  QByteArray(64, '\0'));
    const TaskOutcome outcome = run(fileItem(QStringLiteral("layers.psd")), Recipe());
    QCOMPARE(int(outcome.kind), int(OutcomeKind::PermanentFailure));
    QVERIFY2(outcome.message.startsWith(QStringLiteral("unsupported image format")),
             qPrintable(outcome.message));
}

void tst_ImageJob::recognisedByContentNotExtension()
{
    // A PNG named .txt is processed; a text file named .jpg is not an image.
    writeImage(inputDir() + QStringLiteral("/really-png.txt"), QSize(20, 10), "png");
    writeFile(inputDir() + QStringLiteral("/fake.jpg"), "hello");
    const TaskOutcome png = run(fileItem(QStringLiteral("really-png.txt")), Recipe());
    QCOMPARE(int(png.kind), int(OutcomeKind::Done));
    QCOMPARE(png.detail.value<ImageResult>().inputFormat, QByteArray("png"));
    QVERIFY(outputOf(png).endsWith(QStringLiteral("really-png.png")));
    const TaskOutcome fake = run(fileItem(QStringLiteral("fake.jpg")), Recipe());
    QCOMPARE(int(fake.kind), int(OutcomeKind::Skipped));
}

void tst_ImageJob::rejectedItemFailsPermanently()
{
    const InputItem item = InputItem::rejected(QStringLiteral("/x.zip"), QStringLiteral("x/../y"),
                                               QStringLiteral("unsafe entry name"));
    const TaskOutcome outcome = run(item, Recipe());
    QCOMPARE(int(outcome.kind), int(OutcomeKind::PermanentFailure));
    QCOMPARE(outcome.message, QStringLiteral("unsafe entry name"));
}

void tst_ImageJob::lockedFileIsTransient()
{
    writeImage(inputDir() + QStringLiteral("/busy.png"), QSize(20, 10), "png");
    int opens = 0;
    const FileOpener lockedOnce = [&opens](const QString &path) -> std::unique_ptr<QIODevice> {
        auto file = std::make_unique<QFile>(path);
        if (++opens > 1) // the first attempt finds it locked; the retry gets it
            file->open(QIODevice::ReadOnly);
        return file;
    };
    Recipe recipe;
    JobOptions options{lockedOnce, {}, {}};
    const TaskOutcome first = run(fileItem(QStringLiteral("busy.png")), recipe, &options);
    QCOMPARE(int(first.kind), int(OutcomeKind::TransientFailure));
    QVERIFY2(first.message.startsWith(QStringLiteral("cannot open the file")),
             qPrintable(first.message));
    const TaskOutcome retry = run(fileItem(QStringLiteral("busy.png")), recipe, &options);
    QCOMPARE(int(retry.kind), int(OutcomeKind::Done));
}

void tst_ImageJob::readErrorIsTransient()
{
    writeImage(inputDir() + QStringLiteral("/eio.png"), QSize(20, 10), "png");
    Recipe recipe;
    JobOptions options{[](const QString &) { return std::make_unique<FailingDevice>(); }, {}, {}};
    const TaskOutcome outcome = run(fileItem(QStringLiteral("eio.png")), recipe, &options);
    QCOMPARE(int(outcome.kind), int(OutcomeKind::TransientFailure));
    QCOMPARE(outcome.message, QStringLiteral("read error: Input/output error"));
}

void tst_ImageJob::vanishedFileIsTransient()
{
    const TaskOutcome outcome = run(fileItem(QStringLiteral("gone.jpg")), Recipe());
    QCOMPARE(int(outcome.kind), int(OutcomeKind::TransientFailure));
    QVERIFY(outcome.message.startsWith(QStringLiteral("file not found")));
}

void tst_ImageJob::cancelAtEachStageLeavesNothing_data()
{
    QTest::addColumn<int>("stage");
    QTest::newRow("after read") << int(JobStage::Read);
    QTest::newRow("after decode") << int(JobStage::Decoded);
    QTest::newRow("after scale") << int(JobStage::Scaled);
    QTest::newRow("after encode") << int(JobStage::Encoded);
}

void tst_ImageJob::cancelAtEachStageLeavesNothing()
{
    QFETCH(int, stage);
    writeImage(inputDir() + QStringLiteral("/c.jpg"), QSize(640, 480), "jpeg");
    Recipe recipe;
    recipe.targetSize = QSize(100, 100);
    FolderSink sink(outputDir(), recipe);
    FakeTask task;
    JobOptions options{{},
                       [&](JobStage s) {
                           if (int(s) == stage)
                               task.canceled = true;
                       },
                       {}};
    const TaskOutcome outcome =
        processImage(fileItem(QStringLiteral("c.jpg")), recipe, sink, task.ctx, options);
    QCOMPARE(int(outcome.kind), int(OutcomeKind::Canceled));
    QCOMPARE(listFiles(outputDir()), QStringList()); // no output, no temporary file

    // The name was given back: the next run gets "c.jpg", not "c (1).jpg".
    FakeTask again;
    const TaskOutcome redo =
        processImage(fileItem(QStringLiteral("c.jpg")), recipe, sink, again.ctx);
    QCOMPARE(int(redo.kind), int(OutcomeKind::Done));
    QCOMPARE(listFiles(outputDir()), QStringList{QStringLiteral("c.jpg")});
}

// A 400x200 JPEG stored on its side (EXIF orientation 6, so 200x400 upright), tagged Display
// P3, with a camera's EXIF (GPS, serials, maker note, thumbnail), XMP, IPTC and a comment.
void tst_ImageJob::writeCameraJpeg(const QString &name) const
{
    QImage stored = quadrants(QSize(400, 200));
    stored.setColorSpace(QColorSpace(QColorSpace::DisplayP3));
    QVERIFY(!writeFile(inputDir() + QLatin1Char('/') + name,
                       fixtures::withCameraMetadata(encode(stored, "jpeg"), 6))
                 .isEmpty());
}

// The camera JPEG converted to a 100 px box in `format` under `policy`, into a folder or a ZIP.
QByteArray tst_ImageJob::convertedBytes(OutputFormat format, MetadataPolicy policy, bool zip)
{
    writeCameraJpeg(QStringLiteral("cam.jpg"));
    Recipe recipe;
    recipe.targetSize = QSize(100, 100);
    recipe.format = format;
    recipe.metadata = policy;
    recipe.colour = ColourPolicy::Keep; // the profile beside the metadata, as it came
    FakeTask task;
    if (!zip) {
        FolderSink sink(outputDir(), recipe);
        const TaskOutcome outcome =
            processImage(fileItem(QStringLiteral("cam.jpg")), recipe, sink, task.ctx);
        if (outcome.kind != OutcomeKind::Done)
            return {};
        QFile file(outputOf(outcome));
        return file.open(QIODevice::ReadOnly) ? file.readAll() : QByteArray();
    }
    const QString zipPath = m_dir->filePath(QStringLiteral("out.zip"));
    ZipSink sink(zipPath, recipe);
    if (!sink.start())
        return {};
    const TaskOutcome outcome =
        processImage(fileItem(QStringLiteral("cam.jpg")), recipe, sink, task.ctx);
    if (outcome.kind != OutcomeKind::Done || !sink.finish())
        return {};
    return zipEntryData(zipPath, outputOf(outcome));
}

Q_DECLARE_METATYPE(sluice::OutputFormat)
Q_DECLARE_METATYPE(sluice::MetadataPolicy)

// Issue 12: what --metadata says reaches JPEG, PNG, WebP and TIFF outputs, in a folder and in
// a ZIP, corrected for upright, resized pixels; the colour profile is kept in every case; and
// libvips reads it too where this machine has vipsheader.
void tst_ImageJob::metadataInOutputs_data()
{
    QTest::addColumn<OutputFormat>("format");
    QTest::addColumn<MetadataPolicy>("policy");
    QTest::addColumn<bool>("zip");
    const QList<QPair<const char *, OutputFormat>> formats = {
        {"jpeg", OutputFormat::Jpeg}, {"png", OutputFormat::Png}, {"webp", OutputFormat::Webp}};
    const QList<QPair<const char *, MetadataPolicy>> policies = {{"keep", MetadataPolicy::Keep},
                                                                 {"public", MetadataPolicy::Public},
                                                                 {"none", MetadataPolicy::None}};
    for (const auto &[formatName, format] : formats)
        for (const auto &[policyName, policy] : policies)
            QTest::addRow("%s %s", formatName, policyName) << format << policy << false;
    QTest::addRow("jpeg keep, zip") << OutputFormat::Jpeg << MetadataPolicy::Keep << true;
    QTest::addRow("png public, zip") << OutputFormat::Png << MetadataPolicy::Public << true;
}

void tst_ImageJob::metadataInOutputs()
{
    QFETCH(OutputFormat, format);
    QFETCH(MetadataPolicy, policy);
    QFETCH(bool, zip);
    const QByteArray bytes = convertedBytes(format, policy, zip);
    QVERIFY(!bytes.isEmpty());
    QImage image;
    QVERIFY(image.loadFromData(bytes));
    QCOMPARE(image.size(), QSize(50, 100)); // upright
    QCOMPARE(image.colorSpace(), QColorSpace(QColorSpace::DisplayP3));
    const fixtures::FileMetadata m = fixtures::readFile(bytes);
    // The stamps still read back (incremental runs), after Exiv2 rewrote the file.
    QBuffer buffer(const_cast<QByteArray *>(&bytes));
    QImageReader reader(&buffer);
    if (format != OutputFormat::Webp)
        QCOMPARE(reader.text(QLatin1String(SourceKey)), sourceStamp(QStringLiteral("cam.jpg")));
    if (policy == MetadataPolicy::None) {
        QVERIFY(m.exif.empty());
        QVERIFY(m.xmp.empty());
        QVERIFY(m.iptc.empty());
        QVERIFY(!bytes.contains("Sunrise"));
        return;
    }
    QCOMPARE(m.exifValue("Exif.Image.Artist"), QStringLiteral("Jane Photographer"));
    QCOMPARE(m.exifValue("Exif.Image.Orientation"), QStringLiteral("1"));
    QCOMPARE(m.exifValue("Exif.Photo.PixelXDimension"), QStringLiteral("50"));
    QCOMPARE(m.exifValue("Exif.Photo.PixelYDimension"), QStringLiteral("100"));
    QVERIFY(!m.hasThumbnail());
    QCOMPARE(m.xmpValue("Xmp.dc.creator"), QStringLiteral("Jane Photographer"));
    QCOMPARE(m.xmpValue("Xmp.tiff.Orientation"), QStringLiteral("1"));
    if (format != OutputFormat::Webp) // WebP has no place for IPTC
        QCOMPARE(m.iptcValue("Iptc.Application2.Keywords"), QStringLiteral("harbour"));
    if (format == OutputFormat::Jpeg)
        QCOMPARE(QString::fromStdString(m.comment), QStringLiteral("Sunrise over the harbour"));
    if (format == OutputFormat::Png) { // a standard eXIf chunk, not ImageMagick's text form
        QVERIFY(bytes.contains("eXIf"));
        QVERIFY(!bytes.contains("Raw profile type exif"));
        QCOMPARE(reader.text(QStringLiteral("Comment")),
                 QStringLiteral("Sunrise over the harbour"));
    }
    const bool keep = policy == MetadataPolicy::Keep;
    QCOMPARE(m.hasExifGroup("GPSInfo"), keep);
    QCOMPARE(m.hasMakerNote(), keep);
    QCOMPARE(m.exifValue("Exif.Photo.BodySerialNumber").isEmpty(), !keep);
    QCOMPARE(bytes.contains("/home/jane"), keep);

    const QString vipsheader = QStandardPaths::findExecutable(QStringLiteral("vipsheader"));
    if (vipsheader.isEmpty())
        return; // libvips is not installed here: Exiv2's reading above has to do
    const QString path = m_dir->filePath(QStringLiteral("vips-check"));
    QVERIFY(!writeFile(path, bytes).isEmpty());
    const auto vipsField = [&](const char *field) {
        QProcess vips;
        vips.start(vipsheader, {QStringLiteral("-f"), QLatin1String(field), path});
        vips.waitForFinished(Patience);
        return QString::fromUtf8(vips.readAllStandardOutput()).trimmed();
    };
    QVERIFY2(vipsField("exif-ifd0-Artist").startsWith(QLatin1String("Jane Photographer")),
             qPrintable(vipsField("exif-ifd0-Artist")));
    QCOMPARE(vipsField("orientation"), QStringLiteral("1"));
    QVERIFY(vipsField("xmp-data").size() > 0 || format == OutputFormat::Webp);
}

// Issue 11: by default a Display P3 photo becomes sRGB pixels, untagged, as Qt's own conversion
// would make them (Little CMS here, Qt there).
void tst_ImageJob::wideGamutBecomesSrgb()
{
    QImage p3(64, 32, QImage::Format_RGB32);
    p3.fill(QColor(30, 190, 60));
    p3.setColorSpace(QColorSpace(QColorSpace::DisplayP3));
    QVERIFY(!writeFile(inputDir() + QStringLiteral("/p3.png"), encode(p3, "png")).isEmpty());
    Recipe recipe;
    recipe.targetSize = QSize(32, 32);
    recipe.format = OutputFormat::Png;
    const TaskOutcome outcome = run(fileItem(QStringLiteral("p3.png")), recipe);
    QCOMPARE(int(outcome.kind), int(OutcomeKind::Done));
    const QImage out(outputOf(outcome));
    QVERIFY(!out.colorSpace().isValid()); // untagged: sRGB to every viewer
    const QColor expected =
        p3.convertedToColorSpace(QColorSpace(QColorSpace::SRgb)).pixelColor(0, 0);
    const QColor got = out.pixelColor(16, 8);
    QVERIFY2(qAbs(got.red() - expected.red()) <= 2 && qAbs(got.green() - expected.green()) <= 2 &&
                 qAbs(got.blue() - expected.blue()) <= 2,
             qPrintable(got.name() + QLatin1Char(' ') + expected.name()));
    QVERIFY(got != QColor(30, 190, 60));
}

void tst_ImageJob::cmykJpegThroughItsProfile_data()
{
    QTest::addColumn<int>("side");
    QTest::newRow("full size") << 0;
    QTest::newRow("1/4-scale decode") << 48;
}

// Issue 11: a CMYK JPEG from a print workflow (ImageMagick's, Adobe-inverted YCCK, a SWOP
// profile embedded) becomes sRGB pixels converted through that profile, within a level of
// ImageMagick's own conversion, and no CMYK profile is left in the output (it made colour-
// managed viewers show a negative).
void tst_ImageJob::cmykJpegThroughItsProfile()
{
    QFETCH(int, side);
    const QString gs = QStringLiteral("/usr/share/color/icc/ghostscript/");
    QVERIFY2(QFile::exists(gs + QStringLiteral("default_cmyk.icc")),
             "no SWOP profile: install libgs-common (scripts/setup-deps.sh)");
    QVERIFY(QDir().mkpath(inputDir()));
    const QString cmyk = inputDir() + QStringLiteral("/press.jpg");
    QString error;
    if (!fixtures::runTool("convert",
                           {QStringLiteral("-size"), QStringLiteral("192x128"),
                            QStringLiteral("-seed"), QStringLiteral("7"), QStringLiteral("plasma:"),
                            QStringLiteral("-profile"), gs + QStringLiteral("srgb.icc"),
                            QStringLiteral("-profile"), gs + QStringLiteral("default_cmyk.icc"),
                            QStringLiteral("-quality"), QStringLiteral("95"), cmyk},
                           &error))
        QSKIP(qPrintable(error));
    Recipe recipe;
    recipe.format = OutputFormat::Png;
    if (side == 0) {
        recipe.mode = ResizeMode::Percent;
        recipe.targetSize = QSize(100, 100);
    } else {
        recipe.targetSize = QSize(side, side);
    }
    const TaskOutcome outcome = run(fileItem(QStringLiteral("press.jpg")), recipe);
    QCOMPARE(int(outcome.kind), int(OutcomeKind::Done));
    const ImageResult result = outcome.detail.value<ImageResult>();
    QVERIFY2(result.note.isEmpty(), qPrintable(result.note));
    const QImage out(outputOf(outcome));
    QVERIFY(!out.colorSpace().isValid()); // untagged sRGB: no CMYK profile on RGB pixels
    QVERIFY(!fixtures::readAll(outputOf(outcome)).contains("iCCP"));

    const QString reference = m_dir->filePath(QStringLiteral("imagemagick.png"));
    QStringList convert = {cmyk, QStringLiteral("-profile"), gs + QStringLiteral("srgb.icc")};
    if (side != 0)
        convert << QStringLiteral("-resize") << QStringLiteral("%1x%1").arg(side);
    if (!fixtures::runTool("convert", convert << reference, &error))
        QSKIP(qPrintable(error));
    const QImage expected(reference);
    QCOMPARE(out.size(), expected.size());
    const double mean = fixtures::meanChannelDifference(out, expected);
    QVERIFY2(mean <= 1.5, qPrintable(QString::number(mean)));
    // The arithmetic conversion, which Qt does without the profile, is far off.
    const QImage naive(cmyk);
    if (side == 0)
        QVERIFY(fixtures::meanChannelDifference(naive.convertToFormat(QImage::Format_RGB32),
                                                expected) > 4);
}

// Issue 11: a camera file marked Adobe RGB only in EXIF (ColorSpace uncalibrated, interop index
// R03, no profile) is treated as Adobe RGB.
void tst_ImageJob::adobeRgbMarkedOnlyInExif()
{
    QImage plain(32, 16, QImage::Format_RGB32);
    plain.fill(QColor(30, 190, 60));
    const QByteArray jpeg = fixtures::rewritten(encode(plain, "jpeg"), [](Exiv2::Image &image) {
        Exiv2::ExifData exif;
        exif["Exif.Image.Model"] = "Camera";
        exif["Exif.Photo.ColorSpace"] = uint16_t(0xFFFF);
        exif["Exif.Iop.InteroperabilityIndex"] = "R03";
        image.setExifData(exif);
    });
    QVERIFY(!writeFile(inputDir() + QStringLiteral("/adobe.jpg"), jpeg).isEmpty());
    Recipe recipe;
    recipe.targetSize = QSize(16, 16);
    recipe.format = OutputFormat::Png;
    recipe.colour = ColourPolicy::Keep;
    const TaskOutcome kept = run(fileItem(QStringLiteral("adobe.jpg")), recipe);
    QCOMPARE(int(kept.kind), int(OutcomeKind::Done));
    QCOMPARE(QImage(outputOf(kept)).colorSpace(), QColorSpace(QColorSpace::AdobeRgb));
    recipe.colour = ColourPolicy::Srgb;
    recipe.conflict = ConflictPolicy::Overwrite;
    const TaskOutcome converted = run(fileItem(QStringLiteral("adobe.jpg")), recipe);
    QCOMPARE(int(converted.kind), int(OutcomeKind::Done));
    QImage asAdobe = plain;
    asAdobe.setColorSpace(QColorSpace(QColorSpace::AdobeRgb));
    const QColor expected =
        asAdobe.convertedToColorSpace(QColorSpace(QColorSpace::SRgb)).pixelColor(0, 0);
    const QColor got = QImage(outputOf(converted)).pixelColor(8, 4);
    QVERIFY2(qAbs(got.green() - expected.green()) <= 4 && qAbs(got.red() - expected.red()) <= 4,
             qPrintable(got.name() + QLatin1Char(' ') + expected.name()));
    // The converted output's EXIF says sRGB, so that no reader (Sluice included) takes its
    // pixels for Adobe RGB a second time.
    QFile file(outputOf(converted));
    QVERIFY(file.open(QIODevice::ReadOnly));
    const QByteArray output = file.readAll();
    const fixtures::FileMetadata m = fixtures::readFile(output);
    QCOMPARE(m.exifValue("Exif.Photo.ColorSpace"), QStringLiteral("1"));
    QCOMPARE(m.exifValue("Exif.Iop.InteroperabilityIndex"), QStringLiteral("R98"));
    QVERIFY(exiv2::readIccProfile(output).isEmpty());
}

// Qt 6.4 reads no gray profile: Exiv2 hands it over, Little CMS applies it (srgb), or Exiv2
// writes it back (keep).
void tst_ImageJob::grayProfileAppliedOrKept_data()
{
    QTest::addColumn<int>("policy");
    QTest::newRow("srgb") << int(ColourPolicy::Srgb);
    QTest::newRow("keep") << int(ColourPolicy::Keep);
}

void tst_ImageJob::grayProfileAppliedOrKept()
{
    QFETCH(int, policy);
    const QByteArray profile = fixtures::linearGrayProfile();
    QImage gray(64, 32, QImage::Format_Grayscale8);
    gray.fill(QColor(64, 64, 64)); // linear 0.25: sRGB 137
    const QByteArray jpeg = fixtures::rewritten(encode(gray, "jpeg"), [&](Exiv2::Image &image) {
        Exiv2::DataBuf buffer(reinterpret_cast<const Exiv2::byte *>(profile.constData()),
                              long(profile.size()));
        image.setIccProfile(buffer);
    });
    QVERIFY(!writeFile(inputDir() + QStringLiteral("/gray.jpg"), jpeg).isEmpty());
    Recipe recipe;
    recipe.targetSize = QSize(32, 32);
    recipe.format = OutputFormat::Png;
    recipe.colour = ColourPolicy(policy);
    const TaskOutcome outcome = run(fileItem(QStringLiteral("gray.jpg")), recipe);
    QCOMPARE(int(outcome.kind), int(OutcomeKind::Done));
    QFile file(outputOf(outcome));
    QVERIFY(file.open(QIODevice::ReadOnly));
    const QByteArray bytes = file.readAll();
    const QImage out = QImage::fromData(bytes);
    QVERIFY(out.isGrayscale());
    const int level = qGray(out.pixel(16, 8));
    if (ColourPolicy(policy) == ColourPolicy::Srgb) {
        QVERIFY2(qAbs(level - 137) <= 3, qPrintable(QString::number(level)));
        QVERIFY(fixtures::readFile(bytes).icc.isEmpty());
    } else {
        QVERIFY2(qAbs(level - 64) <= 3, qPrintable(QString::number(level)));
        QCOMPARE(fixtures::readFile(bytes).icc, profile);
    }
}

// An input whose EXIF is damaged still becomes an output, and the report says what of the
// metadata did not make it.
void tst_ImageJob::damagedMetadataNeverFailsTheImage()
{
    QByteArray tiff = QByteArrayLiteral("II*\x00\x08\x00\x00\x00\xff\xff"); // 65535 entries...
    tiff += QByteArray(16, '\x7f');                                         // ...of 8
    const QByteArray payload = QByteArrayLiteral("Exif\x00\x00") + tiff;
    QByteArray segment = QByteArrayLiteral("\xFF\xE1");
    segment += char((payload.size() + 2) >> 8);
    segment += char((payload.size() + 2) & 0xFF);
    const QByteArray jpeg = encode(quadrants(QSize(64, 48)), "jpeg");
    QVERIFY(!writeFile(inputDir() + QStringLiteral("/bad.jpg"),
                       jpeg.left(2) + segment + payload + jpeg.mid(2))
                 .isEmpty());
    Recipe recipe;
    recipe.targetSize = QSize(32, 32);
    const TaskOutcome outcome = run(fileItem(QStringLiteral("bad.jpg")), recipe);
    QCOMPARE(int(outcome.kind), int(OutcomeKind::Done));
    QCOMPARE(QImage(outputOf(outcome)).size(), QSize(32, 24));
    const QString note = outcome.detail.value<ImageResult>().note;
    QVERIFY2(note.isEmpty() || note.startsWith(QLatin1String("metadata not copied in full")),
             qPrintable(note));
}

void tst_ImageJob::zipInFolderOut()
{
    const QString zipPath = m_dir->filePath(QStringLiteral("supplier.zip"));
    QVERIFY(writeZip(zipPath,
                     {{QStringLiteral("shots/a.jpg"), encode(quadrants(QSize(400, 300)), "jpeg")},
                      {QStringLiteral("b.png"), encode(quadrants(QSize(60, 40)), "png")},
                      {QStringLiteral("readme.txt"), "not an image"},
                      {QStringLiteral("../../evil.png"), encode(quadrants(QSize(8, 8)), "png")}}));
    Recipe recipe;
    recipe.targetSize = QSize(100, 100);
    FolderSink sink(outputDir(), recipe);
    InputScanner scanner({zipPath}, recipe.limits);
    QMap<QString, OutcomeKind> kinds;
    while (auto item = scanner.next()) {
        FakeTask task;
        kinds.insert(item->relativePath, processImage(*item, recipe, sink, task.ctx).kind);
    }
    QCOMPARE(kinds.value(QStringLiteral("supplier/shots/a.jpg")), OutcomeKind::Done);
    QCOMPARE(kinds.value(QStringLiteral("supplier/b.png")), OutcomeKind::Done);
    QCOMPARE(kinds.value(QStringLiteral("supplier/readme.txt")), OutcomeKind::Skipped);
    QCOMPARE(kinds.value(QStringLiteral("supplier/../../evil.png")), OutcomeKind::PermanentFailure);
    QCOMPARE(listFiles(outputDir()), (QStringList{QStringLiteral("supplier/b.png"),
                                                  QStringLiteral("supplier/shots/a.jpg")}));
    QCOMPARE(QImageReader(outputDir() + QStringLiteral("/supplier/shots/a.jpg")).size(),
             QSize(100, 75));
    // Nothing was extracted next to the archive.
    QCOMPARE(listFiles(m_dir->path()).filter(QStringLiteral("evil")), QStringList());
}

void tst_ImageJob::incrementalRunSkipsUpToDate()
{
    writeImage(inputDir() + QStringLiteral("/i.jpg"), QSize(300, 200), "jpeg");
    Recipe recipe;
    recipe.targetSize = QSize(100, 100);
    QCOMPARE(int(run(fileItem(QStringLiteral("i.jpg")), recipe).kind), int(OutcomeKind::Done));
    const TaskOutcome second = run(fileItem(QStringLiteral("i.jpg")), recipe);
    QCOMPARE(int(second.kind), int(OutcomeKind::Skipped));
    QCOMPARE(second.message, QStringLiteral("up to date"));
    QVERIFY(second.detail.value<ImageResult>().skip == ImageResult::Skip::UpToDate);
    QCOMPARE(outputOf(second), outputDir() + QStringLiteral("/i.jpg"));

    // Qt's WebP writer keeps no text keys; the stamp in the output's extended attribute
    // makes WebP outputs incremental too (on file systems with user xattrs, as /tmp here).
    Recipe webp = recipe;
    webp.format = OutputFormat::Webp;
    QCOMPARE(int(run(fileItem(QStringLiteral("i.jpg")), webp).kind), int(OutcomeKind::Done));
    const TaskOutcome webpAgain = run(fileItem(QStringLiteral("i.jpg")), webp);
    const QByteArray webpPath = QFile::encodeName(outputDir() + QStringLiteral("/i.webp"));
    if (getxattr(webpPath.constData(), "user.sluice.stamp", nullptr, 0) > 0) {
        QCOMPARE(int(webpAgain.kind), int(OutcomeKind::Skipped));
        QCOMPARE(outputOf(webpAgain), outputDir() + QStringLiteral("/i.webp"));
    } else { // a file system without user xattrs: redone under a new name, never overwritten
        QCOMPARE(int(webpAgain.kind), int(OutcomeKind::Done));
        QCOMPARE(outputOf(webpAgain), outputDir() + QStringLiteral("/i (1).webp"));
    }

    recipe.quality = 50; // another recipe: not up to date; rename keeps the old output
    const TaskOutcome third = run(fileItem(QStringLiteral("i.jpg")), recipe);
    QCOMPARE(int(third.kind), int(OutcomeKind::Done));
    QCOMPARE(outputOf(third), outputDir() + QStringLiteral("/i (1).jpg"));
}

void tst_ImageJob::throughThePool()
{
    // 24 inputs that all want the name "a.png" in a flat output, 4 workers writing at once,
    // and every input locked on its first open: each ends Done on its second attempt, under
    // its own name.
    constexpr int Inputs = 24;
    for (int i = 0; i < Inputs; ++i)
        writeImage(inputDir() + QStringLiteral("/d%1/a.png").arg(i), QSize(64, 48), "png");
    Recipe recipe;
    recipe.mirrorTree = false;
    recipe.targetSize = QSize(32, 32);
    FolderSink sink(outputDir(), recipe);
    QMutex mutex;
    QSet<QString> openedOnce;
    JobOptions options{[&](const QString &path) -> std::unique_ptr<QIODevice> {
                           auto file = std::make_unique<QFile>(path);
                           QMutexLocker lock(&mutex);
                           if (openedOnce.contains(path))
                               file->open(QIODevice::ReadOnly);
                           openedOnce.insert(path);
                           return file;
                       },
                       {},
                       {}};

    PoolConfig config;
    config.workers = 4;
    config.retry = RetryPolicy{3, 1, 5};
    PoolEngine pool(config);
    const BatchId batch = pool.createBatch();
    submitInputs(pool, batch, recipe, sink, options);
    QVERIFY(pool.waitForBatch(batch, QDeadlineTimer(Patience)));
    PoolEvents events;
    pool.takeEvents(events);
    const std::vector<TaskResult> results = events.flatResults();
    QCOMPARE(int(results.size()), Inputs);
    QSet<QString> outputs;
    for (const TaskResult &result : results) {
        QVERIFY2(result.status == ResultStatus::Done, qPrintable(result.message));
        QCOMPARE(result.attempts, 2);
        outputs.insert(result.detail.value<ImageResult>().outputPath);
    }
    QCOMPARE(outputs.size(), Inputs);
    QCOMPARE(listFiles(outputDir()).size(), Inputs); // and no temporary files
    QVERIFY(outputs.contains(outputDir() + QStringLiteral("/a (%1).png").arg(Inputs - 1)));
}

// Every failpoint action at every point ends as the classification it stands for.
void tst_ImageJob::injectedFaults_data()
{
    QTest::addColumn<QString>("spec");
    QTest::addColumn<int>("kind");
    QTest::addColumn<QString>("message");
    const int transient = int(OutcomeKind::TransientFailure);
    const int permanent = int(OutcomeKind::PermanentFailure);
    QTest::newRow("read transient")
        << "read=transient" << transient << "injected transient I/O error (failpoint read)";
    QTest::newRow("read permanent")
        << "read=permanent" << permanent << "injected permanent error (failpoint read)";
    QTest::newRow("decode permanent")
        << "decode=permanent" << permanent << "injected permanent error (failpoint decode)";
    QTest::newRow("write transient")
        << "write=transient" << transient << "injected transient I/O error (failpoint write)";
    QTest::newRow("write enospc") << "write=enospc" << int(OutcomeKind::Blocked)
                                  << "No space left on device (failpoint write)";
}

void tst_ImageJob::injectedFaults()
{
    QFETCH(QString, spec);
    QFETCH(int, kind);
    QFETCH(QString, message);
    writeImage(inputDir() + QStringLiteral("/a.png"), QSize(40, 30), "png");
    QVERIFY(Failpoints::configure(spec));
    const auto off = qScopeGuard([] { Failpoints::configure(QString()); });
    const TaskOutcome outcome = run(fileItem(QStringLiteral("a.png")), Recipe());
    QCOMPARE(int(outcome.kind), kind);
    QVERIFY2(outcome.message.contains(message), qPrintable(outcome.message));
    QVERIFY(listFiles(outputDir()).isEmpty()); // nothing partial, nothing at all
}

// Through the pool: transient read errors (30%) are retried with backoff and then succeed,
// permanent ones are never retried, and the counts add up.
void tst_ImageJob::injectedFaultsThroughThePool()
{
    constexpr int Inputs = 60;
    for (int i = 0; i < Inputs; ++i)
        writeImage(inputDir() + QStringLiteral("/p%1.png").arg(i, 2, 10, QLatin1Char('0')),
                   QSize(32, 24), "png");
    QVERIFY(Failpoints::configure(QStringLiteral("read=transient:30%;decode=permanent:match=p0")));
    const auto off = qScopeGuard([] { Failpoints::configure(QString()); });
    Recipe recipe;
    recipe.targetSize = QSize(16, 16);
    FolderSink sink(outputDir(), recipe);
    PoolConfig config;
    config.workers = 2;
    config.seed = 7;
    config.retry = RetryPolicy{12, 1, 4}; // 0.3^12: no input runs out of attempts
    PoolEngine pool(config);
    const BatchId batch = pool.createBatch();
    submitInputs(pool, batch, recipe, sink);
    QVERIFY(pool.waitForBatch(batch, QDeadlineTimer(Patience)));
    PoolEvents events;
    pool.takeEvents(events);
    const std::vector<TaskResult> results = events.flatResults();
    QCOMPARE(int(results.size()), Inputs);
    int done = 0, failed = 0, retried = 0, attempts = 0;
    for (const TaskResult &r : results) {
        attempts += r.attempts;
        if (r.status == ResultStatus::Failed) {
            ++failed;
            // p00..p09 match "p0": their decode fails permanently, on the first decode.
            QVERIFY2(r.message.contains(QStringLiteral("failpoint decode")), qPrintable(r.message));
            QVERIFY(!r.transient);
        } else {
            QVERIFY2(r.status == ResultStatus::Done, qPrintable(r.message));
            ++done;
        }
        retried += r.attempts > 1;
    }
    QCOMPARE(failed, 10);
    QCOMPARE(done, Inputs - 10);
    QVERIFY(retried > 5); // 30% of first reads fail: about 18 of 60
    // Every run past the first of each input was a retry of an injected read error, and a
    // permanent failure never took a second run after its decode.
    QCOMPARE(attempts - Inputs, Failpoints::fired("read"));
    QCOMPARE(Failpoints::fired("decode"), 10);
    const BatchCounters c = pool.counters(batch);
    QVERIFY(c.addsUp());
    QCOMPARE(c.done, qint64(done));
    QCOMPARE(c.failed, qint64(failed));
    QCOMPARE(listFiles(outputDir()).size(), done);
}

// A full output disk pauses the batch (with the reason) instead of burning retries; after a
// resume the image is written once, on its first counted attempt.
void tst_ImageJob::fullDiskPausesTheBatch()
{
    writeImage(inputDir() + QStringLiteral("/a.png"), QSize(40, 30), "png");
    writeImage(inputDir() + QStringLiteral("/b.png"), QSize(40, 30), "png");
    QVERIFY(Failpoints::configure(QStringLiteral("write=enospc:once")));
    const auto off = qScopeGuard([] { Failpoints::configure(QString()); });
    Recipe recipe;
    FolderSink sink(outputDir(), recipe);
    PoolConfig config;
    config.workers = 1;
    config.retry = RetryPolicy{2, 1, 4};
    PoolEngine pool(config);
    const BatchId batch = pool.createBatch();
    submitInputs(pool, batch, recipe, sink);
    QTRY_COMPARE_WITH_TIMEOUT(int(pool.state(batch)), int(BatchState::Paused), Patience);
    QVERIFY2(pool.pauseReason(batch).contains(QStringLiteral("disk is full")),
             qPrintable(pool.pauseReason(batch)));
    QCOMPARE(pool.counters(batch).queued, qint64(2));
    QVERIFY(listFiles(outputDir()).isEmpty());
    QVERIFY(pool.resumeBatch(batch));
    QVERIFY(pool.waitForBatch(batch, QDeadlineTimer(Patience)));
    PoolEvents events;
    pool.takeEvents(events);
    const std::vector<TaskResult> results = events.flatResults();
    QCOMPARE(int(results.size()), 2);
    for (const TaskResult &r : results) {
        QCOMPARE(int(r.status), int(ResultStatus::Done));
        QCOMPARE(r.attempts, 1);
    }
    QCOMPARE(listFiles(outputDir()).size(), 2);
}

// A thin strip or a large percentage asks for more output pixels than any input may have.
void tst_ImageJob::enlargingPastThePixelLimitFails_data()
{
    QTest::addColumn<QSize>("input");
    QTest::addColumn<int>("mode");
    QTest::addColumn<int>("edge");
    QTest::addColumn<QString>("message"); // empty: must be Done
    QTest::newRow("short edge of a strip")
        << QSize(10, 4000) << int(ResizeMode::ShortEdge) << 1600
        << QStringLiteral("the output would be 1600×640000, over the 1 MP limit");
    QTest::newRow("percent") << QSize(400, 300) << int(ResizeMode::Percent) << 1000
                             << QStringLiteral(
                                    "the output would be 4000×3000, over the 1 MP limit");
    QTest::newRow("long edge within the limit")
        << QSize(40, 30) << int(ResizeMode::LongEdge) << 1000 << QString();
}

void tst_ImageJob::enlargingPastThePixelLimitFails()
{
    QFETCH(QSize, input);
    QFETCH(int, mode);
    QFETCH(int, edge);
    QFETCH(QString, message);
    writeImage(inputDir() + QStringLiteral("/s.png"), input, "png");
    Recipe recipe;
    recipe.mode = ResizeMode(mode);
    recipe.targetSize = QSize(edge, edge);
    recipe.upscale = true;
    recipe.limits.maxPixels = 1'000'000;
    const TaskOutcome outcome = run(fileItem(QStringLiteral("s.png")), recipe);
    if (message.isEmpty()) {
        QCOMPARE(int(outcome.kind), int(OutcomeKind::Done));
        return;
    }
    QCOMPARE(int(outcome.kind), int(OutcomeKind::PermanentFailure));
    QCOMPARE(outcome.message, message);
    QCOMPARE(listFiles(outputDir()), QStringList());
}

QTEST_GUILESS_MAIN(tst_ImageJob)
// Issue 13: an iPhone-style HEIC (stored landscape, irot and EXIF Orientation 6) with format
// "keep" becomes a JPEG, turned once, Orientation 1, its EXIF kept; libvips reads the same.
void tst_ImageJob::iphoneHeicBecomesAnUprightJpeg()
{
    const QByteArray heic =
        fixtures::libheifFile(quadrants({64, 48}), heif_orientation_rotate_90_cw);
    QVERIFY(!writeFile(inputDir() + QStringLiteral("/IMG_0001.HEIC"), heic).isEmpty());
    Recipe recipe;
    recipe.targetSize = QSize(32, 32);
    const TaskOutcome outcome = run(fileItem(QStringLiteral("IMG_0001.HEIC")), recipe);
    QCOMPARE(int(outcome.kind), int(OutcomeKind::Done));
    const ImageResult result = outcome.detail.value<ImageResult>();
    QCOMPARE(result.inputFormat, QByteArray("heif"));
    QCOMPARE(result.outputFormat, QByteArray("jpeg"));
    QVERIFY2(outputOf(outcome).endsWith(QLatin1String("IMG_0001.jpg")),
             qPrintable(outputOf(outcome)));
    const QImage out(outputOf(outcome));
    QCOMPARE(out.size(), QSize(24, 32));
    QVERIFY(fixtures::near(out.pixelColor(4, 4), Qt::blue, 40)); // stored bottom-left, turned
    QVERIFY(fixtures::near(out.pixelColor(20, 4), Qt::red, 40));
    QFile file(outputOf(outcome));
    QVERIFY(file.open(QIODevice::ReadOnly));
    const fixtures::FileMetadata m = fixtures::readFile(file.readAll());
    QCOMPARE(m.exifValue("Exif.Image.Orientation"), QStringLiteral("1"));

    const QString vipsheader = fixtures::toolPath("vipsheader");
    if (vipsheader.isEmpty())
        return;
    QProcess vips;
    vips.start(vipsheader,
               {QStringLiteral("-f"), QStringLiteral("orientation"), outputOf(outcome)});
    QVERIFY(vips.waitForFinished(Patience));
    QCOMPARE(vips.readAllStandardOutput().trimmed(), QByteArray("1"));
}

// Issue 13: a HEIC with a Display P3 profile (what iPhones write) becomes sRGB pixels, as Qt's
// own conversion makes them.
void tst_ImageJob::displayP3HeicBecomesSrgb()
{
    QImage p3(64, 32, QImage::Format_RGB32);
    p3.fill(QColor(30, 190, 60));
    p3.setColorSpace(QColorSpace(QColorSpace::DisplayP3));
    const QString png = m_dir->filePath(QStringLiteral("p3-source.png"));
    QVERIFY(p3.save(png));
    QVERIFY(QDir().mkpath(inputDir()));
    QString error;
    if (!fixtures::runTool("heif-enc",
                           {QStringLiteral("-q"), QStringLiteral("95"), png, QStringLiteral("-o"),
                            inputDir() + QStringLiteral("/p3.heic")},
                           &error))
        QSKIP(qPrintable(error));
    Recipe recipe;
    recipe.targetSize = QSize(32, 32);
    recipe.format = OutputFormat::Png;
    const TaskOutcome outcome = run(fileItem(QStringLiteral("p3.heic")), recipe);
    QCOMPARE(int(outcome.kind), int(OutcomeKind::Done));
    const QImage out(outputOf(outcome));
    QVERIFY(!out.colorSpace().isValid()); // untagged sRGB
    const QColor expected =
        p3.convertedToColorSpace(QColorSpace(QColorSpace::SRgb)).pixelColor(0, 0);
    QVERIFY2(fixtures::near(out.pixelColor(16, 8), expected, 4),
             qPrintable(out.pixelColor(16, 8).name() + QLatin1Char(' ') + expected.name()));
}

// Issue 13: --format avif and jxl write files that Sluice's own decoders and libvips read, with
// the planned size, the alpha channel and the metadata.
void tst_ImageJob::avifAndJpegXlOutputs_data()
{
    QTest::addColumn<OutputFormat>("format");
    QTest::addColumn<QString>("extension");
    QTest::addColumn<bool>("lossless");
    QTest::newRow("avif") << OutputFormat::Avif << "avif" << false;
    QTest::newRow("jxl") << OutputFormat::Jxl << "jxl" << false;
    QTest::newRow("jxl lossless") << OutputFormat::Jxl << "jxl" << true;
}

void tst_ImageJob::avifAndJpegXlOutputs()
{
    QFETCH(OutputFormat, format);
    QFETCH(QString, extension);
    QFETCH(bool, lossless);
    if (!CodecRegistry::builtIn().encoderFor(extension.toLatin1()))
        QSKIP("no encoder for this format here (libheif without AV1)");
    writeCameraJpeg(QStringLiteral("camera.jpg"));
    Recipe recipe;
    recipe.targetSize = QSize(40, 40);
    recipe.format = format;
    recipe.lossless = lossless;
    recipe.effort = 3;
    recipe.conflict = ConflictPolicy::Overwrite;
    const TaskOutcome outcome = run(fileItem(QStringLiteral("camera.jpg")), recipe);
    QCOMPARE(int(outcome.kind), int(OutcomeKind::Done));
    const ImageResult result = outcome.detail.value<ImageResult>();
    QVERIFY(outputOf(outcome).endsWith(QLatin1Char('.') + extension));
    QFile file(outputOf(outcome));
    QVERIFY(file.open(QIODevice::ReadOnly));
    const QByteArray bytes = file.readAll();
    std::unique_ptr<ImageDecoder> decoder = CodecRegistry::builtIn().decoderFor(bytes);
    QVERIFY(decoder);
    QCOMPARE(decoder->probe().orientedSize(), result.outputSize);
    const DecodedImage decoded = decoder->decode(DecodeRequest{});
    QVERIFY2(!decoded.pixels.isNull(), qPrintable(decoded.error));
    QVERIFY(!decoded.metadata.exif.isEmpty());
    QCOMPARE(fixtures::blocksOf(decoded.metadata.exif, {}, {}).exifValue("Exif.Image.Artist"),
             QStringLiteral("Jane Photographer"));

    const QString vipsheader = fixtures::toolPath("vipsheader");
    if (vipsheader.isEmpty())
        return;
    QProcess vips;
    vips.start(vipsheader, {QStringLiteral("-f"), QStringLiteral("width"), outputOf(outcome)});
    QVERIFY(vips.waitForFinished(Patience));
    const QByteArray width = vips.readAllStandardOutput().trimmed();
    // libvips 8.14 reads AVIF through libheif; JPEG XL only when built with libjxl.
    if (vips.exitCode() == 0)
        QCOMPARE(width, QByteArray::number(result.outputSize.width()));
    else
        QVERIFY2(format == OutputFormat::Jxl, vips.readAllStandardError().constData());
}

// {date} and {camera} read from the input's own metadata before it is named, in every format
// that carries EXIF (the camera JPEG, and PNG, WebP, AVIF and JPEG XL made from it with its
// metadata kept); an input without any is named from its file time and the result says so.
void tst_ImageJob::namesFromCaptureDateAndCamera_data()
{
    QTest::addColumn<OutputFormat>("format");
    QTest::addColumn<QString>("extension");
    QTest::newRow("jpeg") << OutputFormat::Jpeg << "jpg";
    QTest::newRow("png") << OutputFormat::Png << "png";
    QTest::newRow("webp") << OutputFormat::Webp << "webp";
    QTest::newRow("avif") << OutputFormat::Avif << "avif";
    QTest::newRow("jxl") << OutputFormat::Jxl << "jxl";
}

void tst_ImageJob::namesFromCaptureDateAndCamera()
{
    QFETCH(OutputFormat, format);
    QFETCH(QString, extension);
    if (!CodecRegistry::builtIn().encoderFor(extension.toLatin1()))
        QSKIP("no encoder for this format here (libheif without AV1)");
    writeCameraJpeg(QStringLiteral("camera.jpg"));
    Recipe keep;
    keep.targetSize = QSize(40, 40);
    keep.format = format;
    keep.effort = 2;
    keep.metadata = MetadataPolicy::Keep;
    keep.nameTemplate = QStringLiteral("source.{ext}");
    const TaskOutcome made = run(fileItem(QStringLiteral("camera.jpg")), keep);
    QCOMPARE(int(made.kind), int(OutcomeKind::Done));
    QVERIFY(QFile::rename(outputOf(made), inputDir() + QStringLiteral("/source.") + extension));

    Recipe named;
    named.format = OutputFormat::Png;
    named.nameTemplate = QStringLiteral("{date:yyyyMMdd-HHmmss}_{camera}_{n:3}.{ext}");
    InputItem item = fileItem(QStringLiteral("source.") + extension);
    item.index = 6;
    const TaskOutcome outcome = run(item, named);
    QCOMPARE(int(outcome.kind), int(OutcomeKind::Done));
    QCOMPARE(QFileInfo(outputOf(outcome)).fileName(),
             QStringLiteral("20240601-051200_Canon EOS 5D Mark IV_007.png"));
    QCOMPARE(outcome.detail.value<ImageResult>().note, QString());

    // Up to date on a second run: the name is known before decoding, and the same.
    const TaskOutcome again = run(item, named);
    QCOMPARE(int(again.kind), int(OutcomeKind::Skipped));
    QCOMPARE(outputOf(again), outputOf(outcome));

    // No metadata: the file's time, said in the note.
    writeImage(inputDir() + QStringLiteral("/bare.bmp"), QSize(8, 8), "bmp");
    QFile bareFile(inputDir() + QStringLiteral("/bare.bmp"));
    QVERIFY(bareFile.open(QIODevice::ReadWrite));
    QVERIFY(bareFile.setFileTime(QDateTime(QDate(2021, 2, 3), QTime(12, 0)),
                                 QFileDevice::FileModificationTime));
    bareFile.close();
    const TaskOutcome bare = run(fileItem(QStringLiteral("bare.bmp")), named);
    QCOMPARE(int(bare.kind), int(OutcomeKind::Done));
    QCOMPARE(QFileInfo(outputOf(bare)).fileName(),
             QStringLiteral("20210203-120000_unknown camera_001.png"));
    const QString note = bare.detail.value<ImageResult>().note;
    QVERIFY2(note.contains(QLatin1String("no capture date")) &&
                 note.contains(QLatin1String("no camera model")),
             qPrintable(note));
}

#include "tst_imagejob.moc"
