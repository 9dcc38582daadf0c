"""The national payment platform (Nền tảng thanh toán trực tuyến): paying a dossier's fees online."""
