# config.mk: compiler and libraries.  Override in Makefile.local (not committed).
CC	?= cc
PKGS	 = libmicrohttpd sqlite3 jansson libsodium pwquality zlib libqrencode
OPT	?= -O2 -g
SANITIZE ?=
CPPFLAGS += -D_GNU_SOURCE
LDFLAGS	?=
LDLIBS	+= $(shell pkg-config --libs $(PKGS)) -lunistring -lcsv -lxlsxwriter \
	   -lpthread -lm
CRITERION_LIBS = -lcriterion
