// Command provider serves the dubbo-go subset of InteropService on the dubbo protocol (hessian2), no registry.
//
//	provider [PORT]   (0 or absent: a free loopback port) prints "READY <port>" when serving, runs until killed.
package main

import (
	"context"
	"fmt"
	"net"
	"os"
	"strconv"
	"time"
	"unicode/utf16"

	_ "dubbo.apache.org/dubbo-go/v3/imports"
	"dubbo.apache.org/dubbo-go/v3/protocol"
	"dubbo.apache.org/dubbo-go/v3/server"
	"github.com/apache/dubbo-go-hessian2/java_exception"

	"github.com/dubbo-ts/dubbo-ts/tools/interop/go/service"
)

// InteropProvider implements the subset; dubbo-go also answers each method under its lower-case-first name
// (EchoString <-> echoString), which is the name Java and TS call.
type InteropProvider struct{}

func (*InteropProvider) EchoBool(_ context.Context, v bool) (bool, error)         { return v, nil }
func (*InteropProvider) EchoInt(_ context.Context, v int32) (int32, error)        { return v, nil }
func (*InteropProvider) EchoLong(_ context.Context, v int64) (int64, error)       { return v, nil }
func (*InteropProvider) EchoDouble(_ context.Context, v float64) (float64, error) { return v, nil }
func (*InteropProvider) EchoString(_ context.Context, v string) (string, error)   { return v, nil }
func (*InteropProvider) Echo(_ context.Context, v string) (string, error)         { return v, nil }
func (*InteropProvider) StringLength(_ context.Context, v string) (int32, error) {
	return int32(len(utf16.Encode([]rune(v)))), nil
}
func (*InteropProvider) EchoPerson(_ context.Context, v *service.Person) (*service.Person, error) {
	return v, nil
}
func (*InteropProvider) EchoMap(_ context.Context, v map[any]any) (map[any]any, error) { return v, nil }
func (*InteropProvider) MakePerson(_ context.Context, name string, age int32) (*service.Person, error) {
	return service.MakePerson(name, age), nil
}
func (*InteropProvider) ThrowIllegalArgument(_ context.Context, message string) (string, error) {
	return "", java_exception.NewIllegalArgumentException(message)
}
func (*InteropProvider) ThrowCustom(_ context.Context, message string, code int32) (string, error) {
	return "", service.NewInteropException(message, code)
}
func (*InteropProvider) Sleep(_ context.Context, millis int64) (int64, error) {
	time.Sleep(time.Duration(millis) * time.Millisecond)
	return millis, nil
}

func main() {
	port := 0
	if len(os.Args) > 1 {
		p, err := strconv.Atoi(os.Args[1])
		if err != nil {
			fmt.Fprintln(os.Stderr, "usage: provider [PORT]")
			os.Exit(2)
		}
		port = p
	}
	if port == 0 {
		l, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			panic(err)
		}
		port = l.Addr().(*net.TCPAddr).Port
		_ = l.Close()
	}
	service.Register()
	// No protocol.WithIp: dubbo-go also exports its MetadataService on this port without a host, and a second
	// listener on 127.0.0.1:PORT would then fail with "address already in use". Callers use 127.0.0.1.
	srv, err := server.NewServer(
		server.WithServerProtocol(
			protocol.WithDubbo(),
			protocol.WithPort(port),
		),
		server.WithServerSerialization("hessian2"),
	)
	if err != nil {
		panic(err)
	}
	if err := srv.Register(&InteropProvider{}, nil, server.WithInterface(service.Interface)); err != nil {
		panic(err)
	}
	go func() {
		// Serve blocks; report READY once the port accepts connections.
		for i := 0; i < 600; i++ {
			c, err := net.DialTimeout("tcp", fmt.Sprintf("127.0.0.1:%d", port), 100*time.Millisecond)
			if err == nil {
				_ = c.Close()
				fmt.Printf("READY %d\n", port)
				_ = os.Stdout.Sync()
				return
			}
			time.Sleep(100 * time.Millisecond)
		}
		fmt.Fprintln(os.Stderr, "provider did not start listening")
		os.Exit(1)
	}()
	if err := srv.Serve(); err != nil {
		panic(err)
	}
}
