#include "fakecodec.h"
#include "testimages.h"

#include <QtTest>
#include <imageresult.h>
#include <probestage.h>
#include <qtcodec.h>

using namespace sluice;
using namespace fakecodec;
using namespace testimages;

namespace {

// A Photoshop header: an image by content, but no Qt plugin reads it here.
QByteArray psdHeader()
{
    return QByteArrayLiteral("8BPS\x00\x01\x00\x00\x00\x00\x00\x00\x00\x03\x00\x00\x00\x10"
                             "\x00\x00\x00\x10\x00\x08\x00\x03") +
           QByteArray(64, '\0');
}

// A codec whose decoders report `error` from probe().
class BrokenHeaderCodec final : public ImageCodec
{
public:
    std::unique_ptr<ImageDecoder> decoderFor(const QByteArray &bytes) const override
    {
        if (!bytes.startsWith("BROKEN"))
            return nullptr;
        auto decoder = std::make_unique<FakeDecoder>();
        decoder->probeResult.format = "broken";
        decoder->probeResult.error = QStringLiteral("no size in it");
        return decoder;
    }
    const ImageEncoder *encoderFor(const QByteArray &) const override { return nullptr; }
};

} // namespace

class tst_ProbeStage : public QObject
{
    Q_OBJECT

private slots:
    void outcomes_data();
    void outcomes();
    void decoderComesWithItsProbe();
    void codecsAreAskedInOrder();
};

void tst_ProbeStage::outcomes_data()
{
    QTest::addColumn<QByteArray>("bytes");
    QTest::addColumn<int>("kind"); // -1: probed
    QTest::addColumn<QString>("message");

    const int skipped = int(OutcomeKind::Skipped), permanent = int(OutcomeKind::PermanentFailure);
    const QByteArray png = encode(quadrants(QSize(64, 48)), "png");
    QTest::newRow("png") << png << -1 << QString();
    QTest::newRow("jpeg") << encode(quadrants(QSize(64, 48)), "jpeg") << -1 << QString();
    QTest::newRow("text") << QByteArray("These are not the pixels you are looking for.\n")
                          << skipped << "not an image (text/plain)";
    QTest::newRow("zip") << QByteArray("PK\x03\x04\x14\x00\x00\x00\x08\x00", 10) << skipped
                         << "not an image (application/zip)";
    QTest::newRow("nothing") << QByteArray() << skipped << "not an image (application/x-zerosize)";
    if (!QImageReader::supportedImageFormats().contains("psd"))
        QTest::newRow("psd, no plugin")
            << psdHeader() << permanent << "unsupported image format (image/vnd.adobe.photoshop)";
    QTest::newRow("png, header cut") << png.left(20) << permanent << "cannot read the png header: ";
    QTest::newRow("broken by its codec")
        << QByteArray("BROKEN") << permanent << "cannot read the broken header: no size in it";
}

void tst_ProbeStage::outcomes()
{
    QFETCH(QByteArray, bytes);
    QFETCH(int, kind);
    QFETCH(QString, message);
    CodecRegistry codecs;
    codecs.add(std::make_unique<BrokenHeaderCodec>());
    codecs.add(std::make_unique<QtCodec>());

    const StageResult<ProbedInput> probed = probeInput(bytes, codecs);
    if (kind < 0) {
        QVERIFY(probed);
        QVERIFY(probed->decoder);
        QVERIFY(probed->probe.error.isEmpty());
        QVERIFY(!probed->probe.format.isEmpty());
        return;
    }
    QVERIFY(!probed);
    QCOMPARE(int(probed.stop().kind), kind);
    QVERIFY2(probed.stop().message.startsWith(message), qPrintable(probed.stop().message));
    if (kind == int(OutcomeKind::Skipped))
        QVERIFY(probed.stop().detail.value<ImageResult>().skip == ImageResult::Skip::NotAnImage);
    else
        QVERIFY(!probed.stop().detail.isValid());
}

void tst_ProbeStage::decoderComesWithItsProbe()
{
    const QByteArray jpeg = jpegWithOrientation(quadrants(QSize(40, 20)), 6);
    StageResult<ProbedInput> probed = probeInput(jpeg, CodecRegistry::builtIn());
    QVERIFY(probed);
    const ImageProbe &probe = probed->probe;
    QCOMPARE(probe.format, QByteArray("jpeg"));
    QCOMPARE(probe.size, QSize(40, 20));
    QCOMPARE(probe.orientation, 6);
    QVERIFY(probe.reducedScale);
    // The same decoder goes on to decode what it probed.
    const DecodedImage decoded = probed->decoder->decode({});
    QCOMPARE(decoded.pixels.size(), QSize(20, 40));
}

void tst_ProbeStage::codecsAreAskedInOrder()
{
    CodecRegistry codecs;
    codecs.add(std::make_unique<FakeCodec>(QByteArray("\x89PNG"), "not really png"));
    codecs.add(std::make_unique<QtCodec>());
    const StageResult<ProbedInput> probed =
        probeInput(encode(quadrants(QSize(8, 8)), "png"), codecs);
    QVERIFY(probed);
    QCOMPARE(probed->probe.format, QByteArray("not really png"));
}

QTEST_GUILESS_MAIN(tst_ProbeStage)
#include "tst_probestage.moc"
