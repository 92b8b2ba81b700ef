"""Builds corpus.jsonl, the classifier's starter training corpus: for each of the 16 default categories, hand-
written citizen complaints ("stories", written the way people write to LAPOR!, WhatsApp or a Facebook page:
informal, with slang, Javanese and Manado/Banggai words, typos) and variants of each story with a different
greeting, closing, place and spelling. Each row keeps the story it comes from (``group``) so that the
reported cross-validated accuracy keeps every variant of a story in one fold.

    python layan/complaints/data/build_corpus.py   # rewrites corpus.jsonl (deterministic)
"""

from __future__ import annotations

import json
import random
import re
from pathlib import Path

STORIES: dict[str, list[str]] = {
    "jalan": [
        "jalan di {desa} rusak parah, lubangnya dalam sekali, kemarin ada pengendara motor jatuh malam hari",
        "aspal jalan poros {desa} sudah mengelupas semua, kalau hujan jadi kubangan lumpur",
        "jembatan kayu di {desa} papannya banyak yang patah, anak sekolah takut lewat",
        "drainase di depan pasar {desa} tersumbat, air meluap ke jalan setiap hujan",
        "gorong gorong di {desa} ambruk, jalan jadi amblas separuh",
        "jalan tani ke kebun di {desa} tidak bisa dilewati mobil, hasil panen susah diangkut",
        "proyek pengaspalan jalan di {desa} baru tiga bulan sudah retak retak, kualitasnya asal asalan",
        "selokan di samping jalan {desa} tidak pernah dibersihkan, penuh lumpur dan rumput",
        "tolong tambal lubang di tikungan dekat sekolah {desa}, sudah banyak yang celaka",
        "jalan rabat beton di {desa} pecah pecah, besinya sudah kelihatan",
        "jembatan penghubung {desa} ke kecamatan retak di tiang penyangga, takut roboh",
        "bahu jalan di {desa} longsor ke sungai, jalan tinggal separuh",
        "jalan menuju puskesmas {desa} becek dan berlubang, ambulans susah lewat",
        "galian kabel di pinggir jalan {desa} ditinggal terbuka tanpa tanda, bahaya untuk pengendara",
        "saluran air di perumahan {desa} mampet, bau busuk dan banyak nyamuk",
        "jalan dalan {desa} iki rusak pol, wis setahun ora didandani",
    ],
    "air": [
        "air pdam di {desa} sudah seminggu tidak mengalir, warga terpaksa beli air galon",
        "air ledeng keruh dan bau kaporit di {desa}, tidak bisa dipakai masak",
        "pipa pdam bocor di depan rumah warga {desa}, airnya terbuang percuma sudah berhari hari",
        "air bersih cuma mengalir jam dua malam di {desa}, siang hari kering",
        "tagihan pdam naik dua kali lipat padahal air jarang mengalir di {desa}",
        "sumur bor bantuan di {desa} rusak pompanya, warga ambil air di sungai",
        "meteran air dipasang tapi sambungan pipa ke rumah di {desa} belum dikerjakan",
        "air pdam warnanya kuning kecoklatan di {desa}, anak anak gatal gatal setelah mandi",
        "tandon air desa {desa} bocor dan kotor, tidak pernah dikuras",
        "sudah bayar sambungan baru pdam tiga bulan lalu di {desa} tapi belum dipasang",
        "musim kemarau warga {desa} kekurangan air bersih, mohon kirim mobil tangki",
        "aliran air pdam di {desa} kecil sekali, tidak sampai ke bak mandi",
        "hidran umum di {desa} mati, warga antri air dari tetangga",
        "banyu ledeng nang {desa} mati terus, kapan iki dibenakke",
        "keran air pdam di {desa} keluar lumpur setelah perbaikan pipa",
        "petugas pdam catat meter asal tebak, pemakaian di {desa} ditagih tidak sesuai",
    ],
    "sampah": [
        "sampah di tps {desa} menumpuk sudah seminggu tidak diangkut, bau sampai ke rumah warga",
        "truk sampah tidak pernah lewat lagi di {desa}, warga bakar sampah sendiri",
        "ada orang buang sampah sembarangan di pinggir sungai {desa}, air jadi kotor",
        "tempat sampah di taman kota dekat {desa} sudah rusak dan penuh",
        "sampah plastik menyumbat saluran di {desa}, mohon ada petugas kebersihan",
        "pembuangan sampah liar di lahan kosong {desa} banyak lalat dan tikus",
        "iuran sampah dipungut tiap bulan di {desa} tapi sampah jarang diangkut",
        "bau busuk dari tpa dekat {desa} sampai ke sekolah, anak anak mual",
        "sampah pasar {desa} dibuang ke selokan oleh pedagang",
        "kontainer sampah di {desa} sudah penuh meluber ke jalan",
        "bangkai anjing di jalan {desa} belum diangkut dari kemarin, bau sekali",
        "petugas kebersihan menyapu tapi sampahnya ditinggal di pinggir jalan {desa}",
        "pantai {desa} penuh sampah kiriman, mohon ada kerja bakti atau petugas",
        "uwuh numpuk nang pinggir dalan {desa}, ra ono sing ngangkut",
        "asap pembakaran sampah di {desa} tiap sore bikin sesak napas",
        "bak sampah dari dinas untuk {desa} tidak pernah datang padahal sudah diusulkan",
    ],
    "pju": [
        "lampu jalan di {desa} mati semua sudah dua minggu, gelap gulita kalau malam",
        "lampu penerangan jalan di tikungan {desa} padam, rawan begal",
        "tiang lampu jalan di {desa} miring hampir roboh kena angin",
        "lampu pju di depan masjid {desa} kedap kedip terus, akhirnya mati",
        "lampu jalan tenaga surya di {desa} baru dipasang sudah tidak menyala",
        "kabel lampu jalan di {desa} putus menjuntai, bahaya kesetrum",
        "lampu penerangan jalan di {desa} nyala siang hari, boros listrik",
        "mohon pasang lampu jalan di jalan masuk {desa}, sering ada kecelakaan karena gelap",
        "bohlam lampu jalan di {desa} dicuri orang, sekarang gelap",
        "lampu jalan di jembatan {desa} mati, orang takut lewat malam",
        "panel surya lampu jalan di {desa} hilang, tinggal tiangnya saja",
        "lampu dalan nang {desa} mati kabeh, peteng ndedet yen bengi",
        "lampu taman dan lampu jalan di alun alun dekat {desa} banyak yang mati",
        "tiang pju di {desa} tertabrak truk dan dibiarkan tergeletak",
        "lampu jalan cuma menyala separuh di sepanjang jalan poros {desa}",
        "sudah tiga kali lapor lampu jalan mati di {desa} belum juga diganti",
    ],
    "transportasi": [
        "juru parkir liar di depan pasar {desa} minta bayaran dua kali lipat",
        "angkutan umum ke {desa} sudah tidak ada lagi sejak pandemi, warga susah ke kota",
        "tarif angkot dari {desa} dinaikkan sepihak oleh sopir",
        "parkir di bahu jalan depan toko di {desa} bikin macet tiap sore",
        "rambu lalu lintas di simpang {desa} hilang, banyak yang salah arah",
        "lampu lalu lintas di perempatan dekat {desa} mati, semrawut",
        "bus sekolah untuk anak {desa} tidak beroperasi lagi",
        "truk bermuatan berlebih lewat jalan {desa} tiap malam, jalan cepat rusak",
        "kapal penyeberangan ke {desa} jadwalnya tidak menentu, penumpang terlantar",
        "tukang parkir di minimarket {desa} tidak pakai karcis resmi",
        "terminal {desa} kotor dan tidak ada petugas, calo merajalela",
        "ojek pangkalan di {desa} memaksa penumpang dan melarang ojek online",
        "zebra cross di depan sekolah {desa} sudah pudar, anak anak susah menyebrang",
        "jukir nang pasar {desa} njaluk duit luwih, ora ono karcise",
        "mobil travel ke {desa} ngetem lama sekali dan ugal ugalan",
        "halte bus di {desa} rusak atapnya, penumpang kehujanan",
    ],
    "kesehatan": [
        "pelayanan di puskesmas {desa} lambat sekali, antri dari pagi baru dilayani siang",
        "dokter di puskesmas {desa} jarang ada, yang melayani cuma perawat",
        "obat di puskesmas {desa} sering kosong, disuruh beli di apotek luar",
        "pasien bpjs di rumah sakit ditolak dengan alasan kamar penuh, padahal warga {desa}",
        "ambulans desa {desa} tidak bisa dipakai karena tidak ada bensin",
        "petugas puskesmas pembantu {desa} galak dan tidak ramah ke pasien tua",
        "posyandu di {desa} sudah tiga bulan tidak ada kegiatan",
        "ibu hamil di {desa} disuruh bayar persalinan padahal punya kartu kis",
        "kartu bpjs pbi saya dinonaktifkan tanpa pemberitahuan, warga {desa}",
        "pustu di {desa} selalu tutup jam sepuluh pagi",
        "antrian pendaftaran rsud tidak teratur, pasien dari {desa} menunggu seharian",
        "banyak anak di {desa} kena demam berdarah, mohon fogging",
        "bidan desa {desa} pindah dan belum ada penggantinya",
        "puskesmas {desa} minta biaya untuk surat keterangan sehat di luar tarif",
        "wong lara ning {desa} ora dilayani neng puskesmas merga durung nduwe bpjs",
        "gizi buruk pada balita di {desa} belum ditangani petugas kesehatan",
    ],
    "covid": [
        "warga {desa} positif covid tapi tidak ada petugas yang memantau isolasi mandiri",
        "jadwal vaksin covid di {desa} dibatalkan mendadak, warga sudah antri dari pagi",
        "hasil tes swab pcr belum keluar sudah lima hari, padahal harus kerja",
        "vaksin dosis kedua di puskesmas {desa} habis, kapan ada lagi",
        "banyak warga {desa} tidak pakai masker dan berkerumun di acara pesta",
        "pasien isoman di {desa} tidak dapat bantuan paket obat dan vitamin",
        "sertifikat vaksin covid saya tidak muncul di aplikasi pedulilindungi",
        "tempat isolasi terpusat di {desa} tidak layak, kasur kurang dan kamar mandi rusak",
        "biaya rapid test antigen di klinik {desa} mahal sekali melebihi batas tarif",
        "tracing kontak erat covid di {desa} tidak dilakukan, keluarga pasien masih bebas keluar",
        "lansia di {desa} belum divaksin karena tidak bisa datang ke puskesmas, mohon vaksin keliling",
        "posko covid di perbatasan {desa} tidak ada petugas jaga",
        "kena corona tapi disuruh isoman di rumah kecil, keluarga {desa} jadi tertular semua",
        "pemakaman jenazah covid di {desa} tanpa protokol, warga khawatir",
        "pendaftaran vaksin booster online error terus, warga {desa} bingung",
        "data vaksinasi saya salah nik, tidak bisa cetak kartu vaksin",
    ],
    "pendidikan": [
        "atap ruang kelas sd di {desa} bocor dan plafonnya hampir runtuh",
        "sekolah di {desa} minta pungutan uang seragam dan buku yang mahal",
        "guru honorer di sd {desa} belum digaji empat bulan",
        "anak saya tidak diterima di smp negeri padahal rumah dekat, sistem zonasi tidak adil di {desa}",
        "dana bos di sekolah {desa} tidak transparan, komite tidak pernah diberi laporan",
        "belajar daring susah di {desa} karena tidak ada sinyal, anak ketinggalan pelajaran",
        "kip kuliah anak saya belum cair, warga {desa}",
        "guru di sekolah {desa} sering tidak masuk, murid dibiarkan main",
        "bangku dan meja di sd {desa} banyak yang rusak, murid duduk di lantai",
        "ijazah anak saya ditahan sekolah karena belum lunas uang komite",
        "pip anak sekolah di {desa} dipotong oleh oknum",
        "toilet sekolah di {desa} tidak ada air, anak anak pulang kalau mau buang air",
        "paud di {desa} tutup karena tidak ada guru",
        "sekolah nang {desa} njaluk sumbangan pembangunan, wong tuwo abot",
        "jalan ke sekolah di {desa} jauh, mohon ada sekolah satu atap",
        "nilai rapor anak diubah tanpa penjelasan oleh wali kelas di {desa}",
    ],
    "adminduk": [
        "sudah enam bulan rekam e ktp di {desa} tapi ktp belum jadi, katanya blanko habis",
        "urus kartu keluarga di disdukcapil lama sekali, bolak balik dari {desa}",
        "akta kelahiran anak saya salah nama, mohon bantu perbaiki",
        "petugas minta uang pelicin untuk percepat ktp di kantor camat dekat {desa}",
        "nik saya tidak terdaftar di dukcapil padahal sudah punya ktp, warga {desa}",
        "pindah domisili ke {desa} tapi data kk belum berubah setelah tiga bulan",
        "layanan dukcapil online error terus, tidak bisa daftar antrian",
        "ktp el rusak dan hilang, mau cetak ulang disuruh tunggu berbulan bulan",
        "akta kematian orang tua belum terbit padahal berkas lengkap",
        "kia kartu identitas anak tidak bisa dibuat di {desa}",
        "nama di kk dan ktp berbeda ejaannya, bikin susah urus bpjs",
        "perekaman ktp untuk lansia dan difabel di {desa} tolong jemput bola",
        "operator desa {desa} minta bayaran untuk ngurus surat pindah",
        "ktp ku durung dadi wis setahun, wis bolak balik nang kantor",
        "status perkawinan di kk masih belum kawin padahal sudah menikah",
        "antrian di kantor capil dibatasi sepuluh orang per hari, warga {desa} pulang tanpa hasil",
    ],
    "bansos": [
        "saya warga miskin di {desa} tapi tidak pernah dapat bantuan sosial, yang dapat malah orang mampu",
        "bantuan blt dana desa di {desa} dipotong oleh aparat desa",
        "beras bansos yang dibagikan di {desa} berkutu dan bau apek",
        "nama saya ada di dtks tapi bpnt tidak cair sudah tiga bulan",
        "penerima pkh di {desa} banyak yang punya mobil dan rumah bagus",
        "kartu kks saya diblokir tanpa alasan, saldo tidak bisa diambil",
        "pendamping pkh di {desa} minta uang dari penerima",
        "bst tahap terakhir belum diterima warga {desa}",
        "data penerima bantuan di {desa} tidak diperbarui, orang yang sudah meninggal masih terdaftar",
        "lansia sebatang kara di {desa} tidak tersentuh bantuan apapun",
        "paket sembako bantuan covid di {desa} dibagikan hanya ke keluarga perangkat desa",
        "e warong di {desa} memaksa penerima bpnt beli barang tertentu dengan harga mahal",
        "bantuan rumah tidak layak huni di {desa} salah sasaran",
        "wong mlarat nang {desa} ora oleh bansos, sing sugih malah oleh",
        "musyawarah desa penentuan penerima blt di {desa} tidak melibatkan warga",
        "kpm di {desa} diminta setor fotokopi ktp berkali kali tapi bantuan tidak datang",
    ],
    "perizinan": [
        "urus izin usaha di dinas perizinan lama sekali, sudah dua bulan belum terbit",
        "pengajuan imb atau pbg rumah saya di {desa} tidak ada kabar",
        "sistem oss untuk nib error terus, tidak bisa daftar usaha",
        "petugas perizinan minta biaya tambahan di luar ketentuan untuk izin toko di {desa}",
        "pabrik di {desa} beroperasi tanpa izin lingkungan, limbahnya ke sungai",
        "izin reklame di {desa} dipersulit padahal syarat sudah lengkap",
        "tambang galian c di {desa} tidak punya izin, jalan desa rusak",
        "pengurusan sertifikat halal untuk umkm di {desa} tidak jelas prosedurnya",
        "izin keramaian untuk acara nikahan di {desa} dipungut biaya",
        "investor kebun sawit di {desa} menggusur lahan warga tanpa izin yang jelas",
        "tower seluler dibangun di tengah pemukiman {desa} tanpa persetujuan warga",
        "izin praktik bidan saya belum diproses padahal berkas sudah masuk",
        "ngurus izin usaha mikro di mpp tapi disuruh balik terus",
        "ruko di {desa} dibangun melanggar sempadan jalan, apa ada izinnya",
        "siup dan tdp lama tidak bisa dimigrasi ke oss, usaha jadi terhambat",
        "perizinan penangkaran walet di {desa} berisik dan tidak jelas izinnya",
    ],
    "asn": [
        "pegawai kantor camat dekat {desa} sering tidak ada di tempat saat jam kerja",
        "oknum asn di dinas main game di hp waktu melayani warga",
        "pns di kantor desa {desa} datang jam sepuluh pulang jam dua belas",
        "petugas pelayanan bersikap kasar dan membentak warga yang bertanya",
        "asn terlihat belanja di pasar {desa} pakai seragam dinas saat jam kerja",
        "pegawai kecamatan minta uang rokok untuk tanda tangan surat",
        "kepala sekolah di {desa} jarang masuk tapi tetap terima tpp penuh",
        "oknum pns pakai mobil dinas untuk keperluan pribadi di {desa}",
        "pegawai honorer di kantor lurah {desa} tidak ramah dan tidak tahu prosedur",
        "asn ikut kampanye calon kepala daerah di {desa}, tidak netral",
        "kantor pelayanan tutup jam sebelas padahal jadwal sampai jam tiga",
        "pegawai dinas terlambat apel dan nongkrong di warung kopi",
        "pelayanan di kantor desa {desa} pilih kasih, keluarga perangkat didahulukan",
        "pegawai ne ora tau nang kantor, mejane kosong terus",
        "oknum asn bolos kerja dengan alasan wfh tapi pergi liburan",
        "petugas loket tidak memberi informasi yang jelas dan melempar ke bagian lain",
    ],
    "ketertiban": [
        "ada yang jual miras secara terang terangan di {desa}, sering ada keributan",
        "anak muda balapan liar tiap malam minggu di jalan {desa}, sangat mengganggu",
        "pedagang kaki lima menutup trotoar di {desa}, pejalan kaki turun ke jalan",
        "suara musik orkes sampai tengah malam di {desa}, warga tidak bisa tidur",
        "bangunan liar berdiri di atas saluran air di {desa}",
        "banyak anjing liar berkeliaran di {desa}, ada anak digigit",
        "kegiatan sabung ayam dan judi di {desa} meresahkan warga",
        "knalpot brong motor anak muda di {desa} berisik sekali",
        "gelandangan dan pengemis memaksa di lampu merah dekat {desa}",
        "spanduk dan baliho liar dipasang di pohon dan tiang listrik {desa}",
        "warung remang remang di {desa} buka sampai subuh",
        "sapi dan kambing warga dilepas di jalan {desa}, sering bikin kecelakaan",
        "pesta di {desa} menutup jalan umum tanpa izin",
        "cah enom mabuk nang pos ronda {desa} saben bengi, gawe rame",
        "tanah kosong di {desa} dipakai tempat mabuk dan pacaran",
        "petasan dinyalakan tiap malam di {desa}, bayi kaget",
    ],
    "bencana": [
        "banjir setinggi lutut di {desa} sejak semalam, warga butuh perahu dan makanan",
        "longsor menutup jalan ke {desa}, kampung terisolasi",
        "tanggul sungai di {desa} jebol, sawah terendam",
        "pohon besar tumbang menimpa rumah warga di {desa} karena angin kencang",
        "abrasi pantai di {desa} sudah sampai ke rumah warga",
        "warga korban banjir di {desa} belum terima bantuan logistik",
        "kebakaran lahan di dekat {desa}, asapnya masuk ke rumah",
        "rumah warga di {desa} retak akibat gempa kemarin, mohon didata",
        "sungai di {desa} dangkal penuh sedimen, tiap hujan pasti banjir",
        "posko pengungsian banjir di {desa} kekurangan air bersih dan selimut",
        "jembatan putus diterjang banjir bandang di {desa}",
        "angin puting beliung merusak atap rumah di {desa}",
        "normalisasi sungai di {desa} tidak selesai, banjir terus datang",
        "banjir neng {desa} tekan dengkul, omah kebanjiran kabeh",
        "tebing di belakang sekolah {desa} retak, takut longsor waktu hujan",
        "peringatan dini tsunami di {desa} sirenenya tidak bunyi saat uji coba",
    ],
    "pasar": [
        "harga minyak goreng di pasar {desa} naik terus dan barangnya langka",
        "harga cabai dan bawang di pasar {desa} melambung tinggi",
        "los pasar {desa} atapnya bocor, pedagang basah kalau hujan",
        "retribusi pasar di {desa} ditarik dua kali oleh petugas berbeda",
        "timbangan pedagang di pasar {desa} dikurangi, pembeli dirugikan",
        "gas elpiji tiga kilo langka di {desa}, harga di pengecer sampai tiga puluh ribu",
        "pasar {desa} becek dan bau, saluran airnya tidak berfungsi",
        "pedagang pasar {desa} dipaksa pindah ke lantai dua yang sepi pembeli",
        "harga beras naik tapi operasi pasar tidak sampai ke {desa}",
        "penimbunan gula oleh toko besar di {desa}, di warung kosong",
        "kios pasar baru di {desa} dibagikan ke orang yang bukan pedagang",
        "pasar murah di {desa} hanya untuk kenalan panitia",
        "daging sapi dijual dengan harga jauh di atas het di pasar {desa}",
        "rego lengo goreng nang pasar {desa} larang pol, golek angel",
        "pupuk subsidi langka di kios {desa}, petani beli nonsubsidi",
        "pedagang ikan di pasar {desa} pakai formalin, ikan tidak busuk berhari hari",
    ],
    "lainnya": [
        "saya mau tanya jam buka kantor bupati untuk pengaduan langsung",
        "bagaimana cara mendaftar magang di kantor pemerintah daerah",
        "mohon informasi jadwal pembukaan lowongan pppk tahun ini",
        "website pemda tidak bisa dibuka sejak kemarin",
        "sinyal hp di {desa} hilang total, tolong tambah tower",
        "usul agar di {desa} dibangun lapangan olahraga untuk anak muda",
        "listrik pln di {desa} sering padam bergilir tanpa pemberitahuan",
        "terima kasih atas pelayanan yang cepat dari petugas kecamatan",
        "mohon diadakan pelatihan umkm untuk ibu ibu di {desa}",
        "bagaimana prosedur pinjam gedung serbaguna milik pemda untuk acara",
        "saran agar aplikasi layanan pemda bisa dipakai tanpa internet",
        "saya ingin menyampaikan ide wisata pantai di {desa}",
        "wifi gratis di taman kota tidak bisa dipakai",
        "nomor telepon pengaduan di website tidak aktif",
        "mohon ada perpustakaan keliling ke {desa}",
        "kapan pendaftaran beasiswa daerah untuk mahasiswa dibuka",
    ],
}

VILLAGES = [
    "Singkoyo",
    "Cendana Pura",
    "Sinorang",
    "Batui",
    "Kintom",
    "Nambo",
    "Lamala",
    "Masama",
    "Pagimana",
    "Bunta",
    "Toili",
    "Moilong",
    "Bualemo",
    "Balantak",
    "Simpang Raya",
    "Nuhon",
    "Luwuk",
    "Kilongan",
    "Tangkiang",
    "Mantoh",
    "Bantayan",
    "Sumber Mulya",
    "Rata",
    "Lobu",
]
OPENERS = [
    "",
    "",
    "Selamat pagi pak,",
    "Assalamualaikum,",
    "Mohon izin lapor,",
    "Tabe pak,",
    "Min,",
    "Permisi bu,",
    "Lapor pak!",
    "Halo admin,",
    "Punten,",
    "Yth Bapak Bupati,",
    "Slmt siang,",
    "Pak,",
    "Mau lapor,",
    "Tolong dibaca pak,",
]
CLOSERS = [
    "",
    "",
    "Mohon ditindaklanjuti.",
    "Tolong segera diperbaiki.",
    "Trims.",
    "Makasih min.",
    "Kapan ini diurus??",
    "Mohon perhatiannya.",
    "Tolong dibantu ya pak",
    "Sudah lapor ke desa tapi belum ada respon.",
    "kasiang torang warga kecil.",
    "Terima kasih sebelumnya.",
    "Mohon segera!!",
    "sudah lama sekali begini",
    "nda ada yang peduli",
    "Pak Bupati tolong lihat ini",
]
INFORMAL = {
    "tidak": ["gak", "ga", "tdk", "nda", "nggak", "tra"],
    "sudah": ["udh", "sdh", "udah", "so"],
    "yang": ["yg"],
    "dengan": ["dgn", "dg"],
    "jalan": ["jln", "jl"],
    "banyak": ["bnyk", "byk"],
    "karena": ["krn", "karna"],
    "sekarang": ["skrg"],
    "belum": ["blm", "belom"],
    "tolong": ["tlg", "tolongin"],
    "sekali": ["bgt", "banget", "skali"],
    "kalau": ["klo", "kalo"],
    "saya": ["sy", "aku", "sya"],
    "untuk": ["utk", "buat"],
    "sampai": ["sampe", "smpe"],
    "warga": ["wrg"],
    "bagaimana": ["gmn", "gimana"],
    "dari": ["dr"],
    "kami": ["torang", "kita"],
    "minta": ["mnta"],
    "hari": ["hr"],
}


def _typo(word: str, rng: random.Random) -> str:
    if len(word) < 5:
        return word
    i = rng.randrange(1, len(word) - 2)
    return (
        word[:i] + word[i + 1] + word[i] + word[i + 2 :] if rng.random() < 0.5 else word[:i] + word[i + 1 :]
    )


def variant(story: str, rng: random.Random, level: int) -> str:
    text = story.replace("{desa}", rng.choice(VILLAGES))
    words = text.split()
    out = []
    for word in words:
        plain = re.sub(r"\W", "", word)
        if level >= 1 and plain in INFORMAL and rng.random() < 0.6:
            word = word.replace(plain, rng.choice(INFORMAL[plain]))
        elif level >= 2 and rng.random() < 0.06:
            word = _typo(word, rng)
        out.append(word)
    text = " ".join(out)
    if level >= 2 and rng.random() < 0.3:
        text = re.sub(r"(\w)(\s|$)", lambda m: m.group(1) * 3 + m.group(2), text, count=1)
    opener, closer = rng.choice(OPENERS), rng.choice(CLOSERS)
    if rng.random() < 0.5:
        text = text[0].upper() + text[1:]
    return " ".join(p for p in (opener, text, closer) if p).strip()


def build(per_story: int = 5, seed: int = 20) -> list[dict]:
    rng = random.Random(seed)
    rows = []
    for category, stories in STORIES.items():
        for index, story in enumerate(stories):
            seen = set()
            attempts = 0
            while len(seen) < per_story and attempts < 50:
                attempts += 1
                text = variant(story, rng, level=len(seen) % 3)
                if text not in seen:
                    seen.add(text)
                    rows.append({"text": text, "category": category, "group": f"{category}-{index:02d}"})
    return rows


if __name__ == "__main__":
    target = Path(__file__).with_name("corpus.jsonl")
    rows = build()
    with target.open("w", encoding="utf-8") as handle:
        for row in rows:
            handle.write(json.dumps(row, ensure_ascii=False) + "\n")
    counts: dict[str, int] = {}
    for row in rows:
        counts[row["category"]] = counts.get(row["category"], 0) + 1
    print(len(rows), "rows;", "min per category:", min(counts.values()))  # noqa: T201
