#include "exivmetadata.h"

#include <QColorSpace>
#include <QRegularExpression>
#include <QtEndian>
#include <cstring>
#include <exception>
#include <mutex>
#include <zlib.h>

// Exiv2 0.27 hands images over in std::auto_ptr, deprecated in C++11 and still in libstdc++.
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wdeprecated-declarations"
#include <exiv2/exiv2.hpp>

namespace sluice::exiv2 {

namespace {

const Exiv2::byte *bytesOf(const QByteArray &data)
{
    return reinterpret_cast<const Exiv2::byte *>(data.constData());
}

void setError(QString *error, const QString &what)
{
    if (error && error->isEmpty())
        *error = what;
}

// Runs `step`; an exception from Exiv2 (damaged data, a format it cannot write) becomes
// `error` ("<what>: <Exiv2's reason>").
template<typename Step>
bool guarded(QString *error, const char *what, Step step)
{
    try {
        step();
        return true;
    } catch (const std::exception &e) {
        setError(error, QStringLiteral("%1: %2").arg(QLatin1String(what),
                                                     QString::fromLocal8Bit(e.what()).trimmed()));
    } catch (...) {
        setError(error, QStringLiteral("%1: unknown error").arg(QLatin1String(what)));
    }
    return false;
}

QByteArray exifBlob(const Exiv2::ExifData &exif, Exiv2::ByteOrder order)
{
    if (exif.empty())
        return {};
    Exiv2::Blob blob;
    Exiv2::ExifParser::encode(blob, order == Exiv2::invalidByteOrder ? Exiv2::littleEndian : order,
                              exif);
    return QByteArray(reinterpret_cast<const char *>(blob.data()), qsizetype(blob.size()));
}

QByteArray iptcBlob(const Exiv2::IptcData &iptc)
{
    if (iptc.empty())
        return {};
    const Exiv2::DataBuf buffer = Exiv2::IptcParser::encode(iptc);
    return QByteArray(reinterpret_cast<const char *>(buffer.pData_), buffer.size_);
}

// The XMP as a packet without padding: the toolkit pads a wrapped packet with 2 KB of spaces
// for editing in place, as much again as the rest of a 256 px thumbnail's metadata. Wrapped
// here with the standard packet wrapper (read-only: there is no room to edit in place).
QByteArray xmpPacket(const Exiv2::XmpData &xmp)
{
    if (xmp.empty())
        return {};
    std::string body;
    const uint16_t flags = Exiv2::XmpParser::useCompactFormat |
                           Exiv2::XmpParser::omitAllFormatting |
                           Exiv2::XmpParser::omitPacketWrapper;
    if (Exiv2::XmpParser::encode(body, xmp, flags) != 0)
        throw std::runtime_error("the XMP toolkit cannot write it");
    return QByteArrayLiteral("<?xpacket begin=\"\xEF\xBB\xBF\" id=\"W5M0MpCehiHzreSzNTczkc9d\"?>") +
           QByteArray::fromStdString(body) + QByteArrayLiteral("<?xpacket end=\"r\"?>");
}

Exiv2::XmpData xmpData(const QByteArray &packet)
{
    Exiv2::XmpData xmp;
    if (Exiv2::XmpParser::decode(xmp, packet.toStdString()) != 0)
        throw std::runtime_error("not a valid XMP packet");
    return xmp;
}

Exiv2::IptcData iptcData(const QByteArray &blob)
{
    Exiv2::IptcData iptc;
    if (Exiv2::IptcParser::decode(iptc, bytesOf(blob), uint32_t(blob.size())) != 0)
        throw std::runtime_error("not valid IPTC records");
    return iptc;
}

// --- Corrections for an output whose pixels are upright and resized --------------------------

// Tags of the input file's own structure or of other blocks, never copied: the XMP, IPTC and
// Photoshop blocks that TIFF files keep inside IFD0 travel as their own blocks, and the
// encoder writes the colour profile that describes the output's pixels.
const char *const ContainerExifTags[] = {
    "Exif.Image.XMLPacket",         "Exif.Image.IPTCNAA",    "Exif.Image.ImageResources",
    "Exif.Image.InterColorProfile", "Exif.Image.ImageWidth", "Exif.Image.ImageLength",
};

// What `public` removes: where the photo was taken, what identifies the camera, its lens or its
// owner, the maker notes (undocumented, and they hold serial numbers and owner names), and
// fields that commonly hold a file path or a computer's name.
const char *const PrivateExifTags[] = {
    "Exif.Image.GPSTag",
    "Exif.Photo.MakerNote",
    "Exif.Photo.BodySerialNumber",
    "Exif.Photo.LensSerialNumber",
    "Exif.Image.CameraSerialNumber",
    "Exif.Photo.CameraOwnerName",
    "Exif.Image.DocumentName",
    "Exif.Image.HostComputer",
    "Exif.Image.OriginalRawFileName",
    "Exif.Image.DNGPrivateData",
};

// XMP keys (and everything under them): location, serial numbers, owner names, and the edit
// history and ancestry, which name the files a picture was made from.
const char *const PrivateXmpPrefixes[] = {
    "Xmp.exif.GPS",
    "Xmp.exifEX.BodySerialNumber",
    "Xmp.exifEX.LensSerialNumber",
    "Xmp.exifEX.CameraOwnerName",
    "Xmp.aux.SerialNumber",
    "Xmp.aux.LensSerialNumber",
    "Xmp.aux.OwnerName",
    "Xmp.photoshop.City",
    "Xmp.photoshop.State",
    "Xmp.photoshop.Country",
    "Xmp.photoshop.DocumentAncestors",
    "Xmp.photoshop.History",
    "Xmp.iptc.Location",
    "Xmp.iptc.CountryCode",
    "Xmp.iptcExt.LocationCreated",
    "Xmp.iptcExt.LocationShown",
    "Xmp.xmpMM.History",
    "Xmp.xmpMM.DerivedFrom",
    "Xmp.xmpMM.Ingredients",
    "Xmp.xmpMM.Pantry",
    "Xmp.xmpMM.Manifest",
};

const char *const PrivateIptcDatasets[] = {
    "Iptc.Application2.City",          "Iptc.Application2.SubLocation",
    "Iptc.Application2.ProvinceState", "Iptc.Application2.CountryCode",
    "Iptc.Application2.CountryName",   "Iptc.Application2.LocationCode",
    "Iptc.Application2.LocationName",
};

template<typename Data, size_t N>
bool listed(const Data &datum, const char *const (&keys)[N])
{
    const std::string key = datum.key();
    for (const char *k : keys)
        if (key == k)
            return true;
    return false;
}

template<typename Container, typename Predicate>
void eraseIf(Container &data, Predicate drop)
{
    for (auto it = data.begin(); it != data.end();)
        it = drop(*it) ? data.erase(it) : std::next(it);
}

bool privateExif(const Exiv2::Exifdatum &datum)
{
    const std::string group = datum.groupName();
    return group == "GPSInfo" || group == "MakerNote" || Exiv2::ExifTags::isMakerGroup(group) ||
           listed(datum, PrivateExifTags);
}

bool privateXmp(const Exiv2::Xmpdatum &datum)
{
    const std::string key = datum.key();
    for (const char *prefix : PrivateXmpPrefixes)
        if (key.compare(0, std::strlen(prefix), prefix) == 0)
            return true;
    return false;
}

void correctExif(Exiv2::ExifData &exif, QSize outputSize, MetadataPolicy policy, bool srgbPixels)
{
    Exiv2::ExifThumb(exif).erase(); // IFD1: a small picture of the input, maybe uncropped
    eraseIf(exif, [](const Exiv2::Exifdatum &d) { return listed(d, ContainerExifTags); });
    if (policy == MetadataPolicy::Public)
        eraseIf(exif, privateExif);
    if (exif.empty())
        return;
    const auto orientation = exif.findKey(Exiv2::ExifKey("Exif.Image.Orientation"));
    if (orientation != exif.end())
        *orientation = uint16_t(1); // the decoder turned the pixels upright
    exif["Exif.Photo.PixelXDimension"] = uint32_t(outputSize.width());
    exif["Exif.Photo.PixelYDimension"] = uint32_t(outputSize.height());
    if (!srgbPixels)
        return;
    const auto colourSpace = exif.findKey(Exiv2::ExifKey("Exif.Photo.ColorSpace"));
    if (colourSpace != exif.end())
        *colourSpace = uint16_t(1); // sRGB
    const auto interop = exif.findKey(Exiv2::ExifKey("Exif.Iop.InteroperabilityIndex"));
    if (interop != exif.end() && interop->toString().rfind("R03", 0) == 0)
        interop->setValue("R98");
}

void setIfPresent(Exiv2::XmpData &xmp, const char *key, int value)
{
    const auto it = xmp.findKey(Exiv2::XmpKey(key));
    if (it != xmp.end())
        it->setValue(std::to_string(value));
}

void correctXmp(Exiv2::XmpData &xmp, QSize outputSize, MetadataPolicy policy, bool srgbPixels)
{
    if (srgbPixels)
        setIfPresent(xmp, "Xmp.exif.ColorSpace", 1);
    if (policy == MetadataPolicy::Public)
        eraseIf(xmp, privateXmp);
    setIfPresent(xmp, "Xmp.tiff.Orientation", 1);
    setIfPresent(xmp, "Xmp.exif.PixelXDimension", outputSize.width());
    setIfPresent(xmp, "Xmp.exif.PixelYDimension", outputSize.height());
    setIfPresent(xmp, "Xmp.tiff.ImageWidth", outputSize.width());
    setIfPresent(xmp, "Xmp.tiff.ImageLength", outputSize.height());
}

// --- PNG: EXIF as a standard eXIf chunk (Exiv2 0.27 writes a zTXt "Raw profile type exif",
// which libvips does not read) ------------------------------------------------------------------

QByteArray pngChunk(const char type[4], const QByteArray &data)
{
    QByteArray chunk(8, '\0');
    qToBigEndian<quint32>(quint32(data.size()), chunk.data());
    std::memcpy(chunk.data() + 4, type, 4);
    chunk += data;
    uLong crc = crc32(0, reinterpret_cast<const Bytef *>(chunk.constData() + 4), 4);
    crc = crc32(crc, reinterpret_cast<const Bytef *>(data.constData()), uInt(data.size()));
    QByteArray tail(4, '\0');
    qToBigEndian<quint32>(quint32(crc), tail.data());
    return chunk + tail;
}

// `png` with an eXIf chunk holding `exif` before its first IDAT (where the PNG specification's
// extensions place it, and where libpng reads it).
QByteArray withExifChunk(const QByteArray &png, const QByteArray &exif)
{
    qsizetype at = 8; // the signature
    while (at + 8 <= png.size()) {
        const quint32 length = qFromBigEndian<quint32>(png.constData() + at);
        if (png.mid(at + 4, 4) == "IDAT")
            return png.left(at) + pngChunk("eXIf", exif) + png.mid(at);
        at += 12 + qsizetype(length);
    }
    throw std::runtime_error("the PNG has no image data");
}

QByteArray fileBytes(Exiv2::BasicIo &io)
{
    io.seek(0, Exiv2::BasicIo::beg);
    const Exiv2::DataBuf buffer = io.read(long(io.size()));
    return QByteArray(reinterpret_cast<const char *>(buffer.pData_), buffer.size_);
}

} // namespace

void initialize()
{
    static std::once_flag once;
    std::call_once(once, [] {
        Exiv2::LogMsg::setLevel(Exiv2::LogMsg::mute); // reasons reach the report instead
        // The XMP toolkit registers namespaces it meets in a process-wide table: the lock makes
        // that safe from many workers.
        static std::mutex xmpLock;
        Exiv2::XmpParser::initialize(
            [](void *lock, bool acquire) {
                auto *mutex = static_cast<std::mutex *>(lock);
                acquire ? mutex->lock() : mutex->unlock();
            },
            &xmpLock);
    });
}

// A camera set to Adobe RGB often says so only in EXIF, the DCF way: ColorSpace "uncalibrated"
// (0xFFFF) and the interoperability index "R03".
bool markedAdobeRgb(const Exiv2::ExifData &exif)
{
    const auto space = exif.findKey(Exiv2::ExifKey("Exif.Photo.ColorSpace"));
    const auto index = exif.findKey(Exiv2::ExifKey("Exif.Iop.InteroperabilityIndex"));
    return space != exif.end() && space->toLong() == 0xFFFF && index != exif.end() &&
           index->toString().compare(0, 3, "R03") == 0;
}

// The profile of an image whose metadata has been read: its ICC profile, else Adobe RGB's when
// the EXIF says so, else none.
QByteArray profileOf(Exiv2::Image &image)
{
    if (image.iccProfileDefined())
        return QByteArray(reinterpret_cast<const char *>(image.iccProfile()->pData_),
                          image.iccProfile()->size_);
    if (markedAdobeRgb(image.exifData()))
        return QColorSpace(QColorSpace::AdobeRgb).iccProfile();
    return {};
}

ImageMetadata readBlocks(const QByteArray &file, QString *error, QByteArray *iccProfile)
{
    initialize();
    ImageMetadata blocks;
    guarded(error, "the metadata cannot be read", [&] {
        auto image = Exiv2::ImageFactory::open(bytesOf(file), long(file.size()));
        image->readMetadata();
        guarded(error, "the EXIF data cannot be read",
                [&] { blocks.exif = exifBlob(image->exifData(), image->byteOrder()); });
        blocks.xmp = QByteArray::fromStdString(image->xmpPacket());
        guarded(error, "the IPTC data cannot be read",
                [&] { blocks.iptc = iptcBlob(image->iptcData()); });
        blocks.comment = QString::fromStdString(image->comment());
        if (iccProfile)
            *iccProfile = profileOf(*image);
    });
    return blocks;
}

namespace {

// Seconds east of UTC in "+01:00", "-0530" or "Z"; false for anything else.
bool parseOffset(const QString &text, int *seconds)
{
    static const QRegularExpression pattern(QStringLiteral("^([+-])(\\d{2}):?(\\d{2})$"));
    if (text == u"Z") {
        *seconds = 0;
        return true;
    }
    const QRegularExpressionMatch m = pattern.match(text);
    if (!m.hasMatch() || m.captured(2).toInt() > 14 || m.captured(3).toInt() > 59)
        return false;
    *seconds = (m.captured(2).toInt() * 3600 + m.captured(3).toInt() * 60) *
               (m.captured(1) == u"-" ? -1 : 1);
    return true;
}

// "2024:03:12 08:11:05" (EXIF) or "2024-03-12T08:11:05[.sss][+01:00]" or "2024-03-12" (XMP);
// `offset` is EXIF's separate "+01:00" (may be empty). Without an offset the wall-clock time is
// kept as UTC, so that no time zone (or its summer time) moves it.
QDateTime parseCaptureTime(const QString &text, const QString &offset = {})
{
    static const QRegularExpression pattern(QStringLiteral(
        "^(\\d{4})[:-](\\d{2})[:-](\\d{2})(?:[T ](\\d{2}):(\\d{2})(?::(\\d{2}))?(?:\\.\\d+)?)?"
        "\\s*(Z|[+-]\\d{2}:?\\d{2})?$"));
    const QRegularExpressionMatch m = pattern.match(text.trimmed());
    if (!m.hasMatch())
        return {};
    const QDate date(m.captured(1).toInt(), m.captured(2).toInt(), m.captured(3).toInt());
    const QTime time(m.captured(4).toInt(), m.captured(5).toInt(), m.captured(6).toInt());
    if (!date.isValid() || date.year() < 1800 || !time.isValid())
        return {};
    int seconds = 0;
    if (parseOffset(m.captured(7), &seconds) || parseOffset(offset.trimmed(), &seconds))
        return QDateTime(date, time, Qt::OffsetFromUTC, seconds);
    return QDateTime(date, time, Qt::UTC);
}

template<typename Data, typename Key>
QString valueOf(const Data &data, const char *key)
{
    const auto it = data.findKey(Key(key));
    return it == data.end() ? QString() : QString::fromStdString(it->toString()).trimmed();
}

} // namespace

CaptureInfo captureInfo(const ImageMetadata &blocks)
{
    initialize();
    CaptureInfo info;
    Exiv2::ExifData exif;
    Exiv2::XmpData xmp;
    if (!blocks.exif.isEmpty())
        guarded(nullptr, "", [&] {
            Exiv2::ExifParser::decode(exif, bytesOf(blocks.exif), uint32_t(blocks.exif.size()));
        });
    if (!blocks.xmp.isEmpty())
        guarded(nullptr, "", [&] { xmp = xmpData(blocks.xmp); });
    auto exifValue = [&](const char *key) {
        return valueOf<Exiv2::ExifData, Exiv2::ExifKey>(exif, key);
    };
    auto xmpValue = [&](const char *key) {
        return valueOf<Exiv2::XmpData, Exiv2::XmpKey>(xmp, key);
    };
    guarded(nullptr, "", [&] {
        const QDateTime candidates[] = {
            parseCaptureTime(exifValue("Exif.Photo.DateTimeOriginal"),
                             exifValue("Exif.Photo.OffsetTimeOriginal")),
            parseCaptureTime(exifValue("Exif.Photo.DateTimeDigitized"),
                             exifValue("Exif.Photo.OffsetTimeDigitized")),
            parseCaptureTime(xmpValue("Xmp.exif.DateTimeOriginal")),
            parseCaptureTime(xmpValue("Xmp.photoshop.DateCreated")),
            parseCaptureTime(xmpValue("Xmp.xmp.CreateDate")),
            parseCaptureTime(exifValue("Exif.Image.DateTime"), exifValue("Exif.Photo.OffsetTime")),
        };
        for (const QDateTime &when : candidates) {
            if (when.isValid()) {
                info.taken = when;
                break;
            }
        }
        info.cameraModel = exifValue("Exif.Image.Model");
        if (info.cameraModel.isEmpty())
            info.cameraModel = xmpValue("Xmp.tiff.Model");
        info.cameraModel = info.cameraModel.simplified();
    });
    return info;
}

QByteArray readIccProfile(const QByteArray &file)
{
    initialize();
    QByteArray icc;
    guarded(nullptr, "the colour profile cannot be read", [&] {
        auto image = Exiv2::ImageFactory::open(bytesOf(file), long(file.size()));
        image->readMetadata();
        icc = profileOf(*image);
    });
    return icc;
}

ImageMetadata correctedBlocks(const ImageMetadata &source, MetadataPolicy policy, QSize outputSize,
                              QString *error, bool srgbPixels)
{
    ImageMetadata out;
    out.text = source.text;
    if (policy == MetadataPolicy::None)
        return out;
    initialize();
    out.comment = source.comment;
    if (!source.exif.isEmpty())
        guarded(error, "the EXIF data cannot be copied", [&] {
            Exiv2::ExifData exif;
            const Exiv2::ByteOrder order =
                Exiv2::ExifParser::decode(exif, bytesOf(source.exif), uint32_t(source.exif.size()));
            correctExif(exif, outputSize, policy, srgbPixels);
            out.exif = exifBlob(exif, order);
        });
    if (!source.xmp.isEmpty())
        guarded(error, "the XMP data cannot be copied", [&] {
            Exiv2::XmpData xmp = xmpData(source.xmp);
            correctXmp(xmp, outputSize, policy, srgbPixels);
            out.xmp = xmpPacket(xmp);
        });
    if (!source.iptc.isEmpty())
        guarded(error, "the IPTC data cannot be copied", [&] {
            Exiv2::IptcData iptc = iptcData(source.iptc);
            if (policy == MetadataPolicy::Public)
                eraseIf(iptc,
                        [](const Exiv2::Iptcdatum &d) { return listed(d, PrivateIptcDatasets); });
            out.iptc = iptcBlob(iptc);
        });
    return out;
}

bool embedBlocks(QByteArray &encoded, const QByteArray &format, const ImageMetadata &metadata,
                 QString *error, const QByteArray &iccProfile)
{
    const bool jpeg = format == "jpeg", png = format == "png", webp = format == "webp";
    if (!jpeg && !png && !webp && format != "tiff")
        return true;                            // BMP holds no metadata
    const bool exif = !metadata.exif.isEmpty(); // PNG: our eXIf chunk, the rest: Exiv2
    const bool xmp = !metadata.xmp.isEmpty();
    const bool iptc = !metadata.iptc.isEmpty() && !webp; // WebP has no place for IPTC
    const bool comment = !metadata.comment.isEmpty() && jpeg;
    const bool icc = !iccProfile.isEmpty() && format != "tiff";
    if (!exif && !xmp && !iptc && !comment && !icc)
        return true;
    initialize();
    QByteArray result;
    const bool ok = guarded(error, "the metadata cannot be written", [&] {
        auto image = Exiv2::ImageFactory::open(bytesOf(encoded), long(encoded.size()));
        image->readMetadata(); // what the encoder wrote (the colour profile) is kept
        if (exif && !png) {
            Exiv2::ExifData data;
            Exiv2::ExifParser::decode(data, bytesOf(metadata.exif), uint32_t(metadata.exif.size()));
            image->setExifData(data);
        }
        if (xmp) { // as the metadata stage wrote it, unpadded
            image->setXmpPacket(metadata.xmp.toStdString());
            image->writeXmpFromPacket(true);
        }
        if (iptc)
            image->setIptcData(iptcData(metadata.iptc));
        if (comment)
            image->setComment(metadata.comment.toStdString());
        if (icc) {
            Exiv2::DataBuf profile(bytesOf(iccProfile), long(iccProfile.size()));
            image->setIccProfile(profile);
        }
        image->writeMetadata();
        result = fileBytes(image->io());
        if (png && exif)
            result = withExifChunk(result, metadata.exif);
    });
    if (ok)
        encoded = std::move(result);
    return ok;
}

} // namespace sluice::exiv2

#pragma GCC diagnostic pop
