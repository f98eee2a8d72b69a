#include "testimages.h"

#include <QColorSpace>
#include <QtTest>
#include <colourstage.h>

using namespace sluice;
using namespace testimages;

class tst_ColourStage : public QObject
{
    Q_OBJECT

private slots:
    void passesThrough_data();
    void passesThrough();
};

// For now the pixels keep the colour space and profile they were decoded with.
void tst_ColourStage::passesThrough_data()
{
    QTest::addColumn<QImage>("pixels");
    QTest::addColumn<QByteArray>("profile");
    const QImage plain = quadrants(QSize(16, 8));
    QImage p3 = plain.copy();
    p3.setColorSpace(QColorSpace(QColorSpace::DisplayP3));
    QTest::newRow("no profile") << plain << QByteArray();
    QTest::newRow("Display P3") << p3 << p3.colorSpace().iccProfile();
    QTest::newRow("grey, 8 bits") << plain.convertToFormat(QImage::Format_Grayscale8)
                                  << QByteArray();
    QTest::newRow("alpha") << plain.convertToFormat(QImage::Format_ARGB32) << QByteArray();
}

void tst_ColourStage::passesThrough()
{
    QFETCH(QImage, pixels);
    QFETCH(QByteArray, profile);
    const ColouredImage coloured = applyColour(pixels, profile);
    QCOMPARE(coloured.pixels.cacheKey(), pixels.cacheKey()); // the same pixels, not a copy
    QCOMPARE(coloured.pixels.format(), pixels.format());
    QCOMPARE(coloured.pixels.colorSpace(), pixels.colorSpace());
    QCOMPARE(coloured.iccProfile, profile);
}

QTEST_GUILESS_MAIN(tst_ColourStage)
#include "tst_colourstage.moc"
