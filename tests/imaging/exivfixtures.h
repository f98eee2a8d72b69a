// Metadata fixtures written with Exiv2 (no exiftool needed), and Exiv2's reading of a file, for
// the tests of the metadata stage and of the image job.
#pragma once

#include <QBuffer>
#include <QByteArray>
#include <QImage>
#include <QImageWriter>
#include <QString>

#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wdeprecated-declarations"
#include <exiv2/exiv2.hpp>

namespace fixtures {

inline QByteArray bytesOf(const Exiv2::Blob &blob)
{
    return QByteArray(reinterpret_cast<const char *>(blob.data()), qsizetype(blob.size()));
}

inline QByteArray smallJpeg(int w, int h)
{
    QImage image(w, h, QImage::Format_RGB32);
    image.fill(Qt::darkGreen);
    QByteArray bytes;
    QBuffer buffer(&bytes);
    buffer.open(QIODevice::WriteOnly);
    QImageWriter(&buffer, "jpeg").write(image);
    return bytes;
}

// What a camera writes: orientation, author and copyright, capture date, camera and lens,
// exposure, GPS position, serial numbers, the owner's name, a Canon maker note (with the owner
// and a serial number inside) and an embedded thumbnail.
inline Exiv2::ExifData cameraExif(int orientation)
{
    Exiv2::ExifData exif;
    exif["Exif.Image.Make"] = "Canon";
    exif["Exif.Image.Model"] = "Canon EOS 5D Mark IV";
    exif["Exif.Image.Orientation"] = uint16_t(orientation);
    exif["Exif.Image.Artist"] = "Jane Photographer";
    exif["Exif.Image.Copyright"] = "(c) 2024 Jane Photographer";
    exif["Exif.Image.ImageDescription"] = "Harbour at dawn";
    exif["Exif.Image.DocumentName"] = "/home/jane/clients/Doe wedding/DSC_0001.CR2";
    exif["Exif.Image.CameraSerialNumber"] = "CAM-SERIAL-1234";
    exif["Exif.Photo.DateTimeOriginal"] = "2024:06:01 05:12:00";
    exif["Exif.Photo.ExposureTime"] = Exiv2::URational(1, 250);
    exif["Exif.Photo.FNumber"] = Exiv2::URational(8, 1);
    exif["Exif.Photo.LensModel"] = "EF24-70mm f/2.8L II USM";
    exif["Exif.Photo.BodySerialNumber"] = "BODY-SERIAL-5678";
    exif["Exif.Photo.LensSerialNumber"] = "LENS-SERIAL-9012";
    exif["Exif.Photo.CameraOwnerName"] = "Jane Doe";
    exif["Exif.Photo.PixelXDimension"] = uint32_t(6000);
    exif["Exif.Photo.PixelYDimension"] = uint32_t(4000);
    exif["Exif.GPSInfo.GPSVersionID"] = "2 3 0 0";
    exif["Exif.GPSInfo.GPSLatitudeRef"] = "N";
    exif["Exif.GPSInfo.GPSLatitude"] = "52/1 22/1 0/1";
    exif["Exif.Canon.OwnerName"] = "Jane Doe";
    exif["Exif.Canon.SerialNumber"] = uint32_t(987654);
    const QByteArray thumbnail = smallJpeg(160, 120);
    Exiv2::ExifThumb(exif).setJpegThumbnail(
        reinterpret_cast<const Exiv2::byte *>(thumbnail.constData()), long(thumbnail.size()));
    return exif;
}

inline QByteArray exifBlob(const Exiv2::ExifData &exif)
{
    Exiv2::Blob blob;
    Exiv2::ExifParser::encode(blob, Exiv2::littleEndian, exif);
    return bytesOf(blob);
}

inline Exiv2::ExifData exifOf(const QByteArray &blob)
{
    Exiv2::ExifData exif;
    if (!blob.isEmpty())
        Exiv2::ExifParser::decode(exif, reinterpret_cast<const Exiv2::byte *>(blob.constData()),
                                  uint32_t(blob.size()));
    return exif;
}

inline Exiv2::XmpData cameraXmpData()
{
    Exiv2::XmpData xmp;
    xmp["Xmp.dc.creator"] = "Jane Photographer";
    xmp["Xmp.dc.subject"] = "harbour";
    xmp["Xmp.tiff.Orientation"] = "6";
    xmp["Xmp.exif.PixelXDimension"] = "6000";
    xmp["Xmp.exif.GPSLatitude"] = "52,22.0N";
    xmp["Xmp.photoshop.City"] = "Amsterdam";
    xmp["Xmp.aux.SerialNumber"] = "BODY-SERIAL-5678";
    xmp["Xmp.xmpMM.DerivedFrom/stRef:filePath"] = "/home/jane/clients/Doe wedding/DSC_0001.CR2";
    return xmp;
}

inline QByteArray cameraXmp()
{
    std::string packet;
    Exiv2::XmpParser::encode(packet, cameraXmpData());
    return QByteArray::fromStdString(packet);
}

inline Exiv2::IptcData cameraIptcData()
{
    Exiv2::IptcData iptc;
    iptc["Iptc.Application2.Keywords"] = "harbour";
    iptc["Iptc.Application2.Byline"] = "Jane Photographer";
    iptc["Iptc.Application2.City"] = "Amsterdam";
    iptc["Iptc.Application2.CountryName"] = "Netherlands";
    return iptc;
}

inline QByteArray cameraIptc()
{
    const Exiv2::DataBuf buffer = Exiv2::IptcParser::encode(cameraIptcData());
    return QByteArray(reinterpret_cast<const char *>(buffer.pData_), buffer.size_);
}

// The image file `bytes` after `edit` changed its metadata through Exiv2.
template<typename Edit>
QByteArray rewritten(const QByteArray &bytes, Edit edit)
{
    auto image = Exiv2::ImageFactory::open(reinterpret_cast<const Exiv2::byte *>(bytes.constData()),
                                           long(bytes.size()));
    image->readMetadata();
    edit(*image);
    image->writeMetadata();
    Exiv2::BasicIo &io = image->io();
    io.seek(0, Exiv2::BasicIo::beg);
    const Exiv2::DataBuf out = io.read(long(io.size()));
    return QByteArray(reinterpret_cast<const char *>(out.pData_), out.size_);
}

// `jpeg` with the camera's EXIF (orientation as given), XMP, IPTC and a comment.
inline QByteArray withCameraMetadata(const QByteArray &jpeg, int orientation)
{
    return rewritten(jpeg, [orientation](Exiv2::Image &image) {
        image.setExifData(cameraExif(orientation));
        image.setXmpData(cameraXmpData());
        image.setIptcData(cameraIptcData());
        image.setComment("Sunrise over the harbour");
    });
}

// Exiv2's reading of an image file.
struct FileMetadata
{
    Exiv2::ExifData exif;
    Exiv2::XmpData xmp;
    Exiv2::IptcData iptc;
    std::string comment;
    QByteArray icc;

    QString exifValue(const char *key) const
    {
        const auto it = exif.findKey(Exiv2::ExifKey(key));
        return it == exif.end() ? QString() : QString::fromStdString(it->toString()).trimmed();
    }
    QString xmpValue(const char *key) const
    {
        const auto it = xmp.findKey(Exiv2::XmpKey(key));
        return it == xmp.end() ? QString() : QString::fromStdString(it->toString());
    }
    QString iptcValue(const char *key) const
    {
        const auto it = iptc.findKey(Exiv2::IptcKey(key));
        return it == iptc.end() ? QString() : QString::fromStdString(it->toString());
    }
    bool hasExifGroup(const std::string &group) const
    {
        for (const auto &d : exif)
            if (d.groupName() == group)
                return true;
        return false;
    }
    bool hasMakerNote() const
    {
        for (const auto &d : exif)
            if (Exiv2::ExifTags::isMakerGroup(d.groupName()) || d.groupName() == "MakerNote")
                return true;
        return false;
    }
    bool hasThumbnail() const { return hasExifGroup("Thumbnail"); }
};

inline FileMetadata readFile(const QByteArray &bytes)
{
    FileMetadata m;
    auto image = Exiv2::ImageFactory::open(reinterpret_cast<const Exiv2::byte *>(bytes.constData()),
                                           long(bytes.size()));
    image->readMetadata();
    m.exif = image->exifData();
    m.xmp = image->xmpData();
    m.iptc = image->iptcData();
    m.comment = image->comment();
    if (image->iccProfileDefined())
        m.icc = QByteArray(reinterpret_cast<const char *>(image->iccProfile()->pData_),
                           image->iccProfile()->size_);
    return m;
}

inline FileMetadata blocksOf(const QByteArray &exif, const QByteArray &xmp, const QByteArray &iptc)
{
    FileMetadata m;
    m.exif = exifOf(exif);
    if (!xmp.isEmpty())
        Exiv2::XmpParser::decode(m.xmp, xmp.toStdString());
    if (!iptc.isEmpty())
        Exiv2::IptcParser::decode(m.iptc, reinterpret_cast<const Exiv2::byte *>(iptc.constData()),
                                  uint32_t(iptc.size()));
    return m;
}

} // namespace fixtures

#pragma GCC diagnostic pop
