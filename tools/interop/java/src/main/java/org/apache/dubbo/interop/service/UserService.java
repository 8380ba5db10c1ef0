package org.apache.dubbo.interop.service;

/** apache/dubbo-benchmark's UserService, under org.apache.dubbo.interop.service. */
public interface UserService {
  boolean existUser(String email);

  boolean createUser(User user);

  User getUser(long id);

  Page<User> listUser(int pageNo);
}
